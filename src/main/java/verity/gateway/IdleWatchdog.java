package verity.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an upstream stream that has sent nothing for too long. The JDK client's timeout covers only the wait
 * for response headers; without this a stalled model server would hold the relay (and the client) forever.
 */
final class IdleWatchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upstream-idle-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long idleNanos;
    private final ScheduledFuture<?> task;
    private volatile long last = System.nanoTime();
    private volatile boolean fired;

    /** @param onIdle runs (on the timer thread) just before the stream is closed for idleness */
    IdleWatchdog(Closeable stream, Duration idle, Runnable onIdle) {
        this.idleNanos = idle.toNanos();
        long period = Math.max(50, Math.min(5_000, idle.toMillis() / 4));
        this.task = TIMER.scheduleAtFixedRate(() -> {
            if (!fired && System.nanoTime() - last > idleNanos) {
                fired = true;
                onIdle.run();
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // the reader sees the stream end either way
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    void touch() {
        last = System.nanoTime();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
