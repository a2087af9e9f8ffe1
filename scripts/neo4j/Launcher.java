import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs Neo4j Community embedded, with its Bolt server, for scripts/neo4j-local.
 *
 * Usage: java ... Launcher HOME   (reads HOME/neo4j.conf; NEO4J_PASSWORD from the environment)
 *
 * The password of user neo4j is set on every start so that NEO4J_PASSWORD is the truth.
 * Bolt is already listening while that happens, so readiness is signalled by HOME/run/ready,
 * written only afterwards; the script waits for that file and for a Bolt handshake.
 * SIGTERM runs the shutdown hook, which shuts the databases down cleanly.
 */
public final class Launcher {
    private static final String SET_PASSWORD =
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED";

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Launcher NEO4J_LOCAL_HOME");
            System.exit(2);
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set to at least 8 characters");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path ready = home.resolve("run").resolve("ready");
        Files.deleteIfExists(ready);

        // The hook is registered before build() so that a SIGTERM during start-up still ends
        // in a clean shutdown: it waits for build() to finish, then shuts down.
        AtomicReference<DatabaseManagementService> started = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deleteQuietly(ready);
            System.out.println("Launcher: shutting down");
            try {
                built.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            DatabaseManagementService dbms = started.get();
            if (dbms != null) {
                dbms.shutdown();
            }
            deleteQuietly(ready); // main may have written it while shutdown began
            System.out.println("Launcher: stopped");
            stopped.countDown();
        }, "neo4j-local-shutdown"));

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .loadPropertiesFromFile(home.resolve("neo4j.conf"))
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    .build();
            started.set(dbms);
        } catch (RuntimeException e) {
            System.err.println("Launcher: Neo4j failed to start:");
            e.printStackTrace();
            built.countDown();
            System.exit(1);
            return;
        }
        built.countDown();

        try {
            setPassword(dbms, password);
        } catch (RuntimeException e) {
            System.err.println("Launcher: could not set the password of user neo4j: " + e);
            System.exit(1);
        }
        Files.writeString(ready, ProcessHandle.current().pid() + "\n");
        System.out.println("Launcher: ready");
        stopped.await();
    }

    private static void setPassword(DatabaseManagementService dbms, String password) {
        var system = dbms.database("system");
        try {
            system.executeTransactionally(SET_PASSWORD, Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has; that is success here.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: the script also removes it on start and stop
        }
    }
}
