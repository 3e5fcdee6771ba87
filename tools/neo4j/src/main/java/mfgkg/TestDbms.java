package mfgkg;

import java.io.IOException;
import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * A Neo4j Community DBMS for the test suite: embedded, Bolt on 127.0.0.1:PORT, authentication on with the
 * given password for the built-in user "neo4j", data under HOME. It prints "READY" once Bolt answers and
 * shuts down cleanly when its standard input closes (the harness closes it; so does the harness dying).
 *
 * <p>Usage: java -cp ... mfgkg.TestDbms HOME PORT PASSWORD
 */
public final class TestDbms {
    private TestDbms() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: TestDbms HOME PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j IF EXISTS SET PASSWORD $p CHANGE NOT REQUIRED",
                    java.util.Map.of("p", args[2]));
        } catch (QueryExecutionException e) {
            // started again on the same data: the password is already set
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                e.printStackTrace();
                System.exit(1); // the shutdown hook stops the DBMS; the harness sees stdout close
            }
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the harness to close our standard input
        }
        dbms.shutdown();
    }
}
