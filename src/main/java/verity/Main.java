package verity;

import java.time.Clock;
import verity.config.Config;
import verity.config.ConfigException;

/** Reads the environment, starts the server, and stops it cleanly on SIGTERM/SIGINT. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        App app;
        try {
            app = App.create(Config.fromEnv(System.getenv()), Clock.systemUTC()).start();
        } catch (ConfigException e) {
            System.err.println("verity: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    }
}
