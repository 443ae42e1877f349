package verity.requestlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request records off the response path: callers enqueue and return at once; one writer thread saves
 * batches in single transactions. Nothing is dropped: when the queue is full the enqueuing thread (already
 * past the response) waits, and that is counted and logged as "behind". Records not yet saved are visible
 * through {@link #pending} so feedback on a just-finished request is not refused.
 */
public final class RequestLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLogWriter.class);
    private static final int CAPACITY = 20_000;
    private static final int BATCH = 500;

    private final RequestLogStore store;
    private final BlockingQueue<RequestRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong behind = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    public RequestLogWriter(RequestLogStore store) {
        this.store = store;
        this.writer = Thread.ofVirtual().name("request-log-writer").start(this::run);
    }

    /**
     * Counts the request as being logged from now on, before its answer ends: a client that has the whole answer
     * can then always read or rate it (readers wait for the record, see {@link #awaitWritten}).
     */
    public void reserve(String id) {
        pending.putIfAbsent(id, new CompletableFuture<>());
    }

    public void submit(RequestRecord record) {
        pending.putIfAbsent(record.id(), new CompletableFuture<>());
        if (!queue.offer(record)) {
            long n = behind.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("request log is behind: queue full ({} records); {} submissions had to wait", CAPACITY, n);
            }
            try {
                queue.put(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("request {} not logged: interrupted while waiting for the log queue", record.id());
                failed.incrementAndGet();
                pending.remove(record.id()).complete(null);
            }
        }
    }

    /** True while the record is queued or being written. */
    public boolean pending(String id) {
        return pending.containsKey(id);
    }

    /** Waits (briefly) until a queued record is saved, so rows can refer to it. */
    public void awaitWritten(String id) {
        CompletableFuture<Void> f = pending.get(id);
        if (f != null) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("request {} still not logged after 10 s", id);
            }
        }
    }

    public record Status(int queued, long written, long failed, long behind) {}

    public Status status() {
        return new Status(queue.size(), written.get(), failed.get(), behind.get());
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                RequestRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                save(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void save(List<RequestRecord> batch) {
        try {
            store.insert(batch);
            written.addAndGet(batch.size());
        } catch (RuntimeException e) {
            // One bad record must not lose the batch: retry one by one and report those that still fail.
            for (RequestRecord r : batch) {
                try {
                    store.insert(List.of(r));
                    written.incrementAndGet();
                } catch (RuntimeException again) {
                    failed.incrementAndGet();
                    LOG.error("request {} could not be logged: {}", r.id(), again.getMessage());
                }
            }
        } finally {
            batch.forEach(r -> {
                CompletableFuture<Void> f = pending.remove(r.id());
                if (f != null) {
                    f.complete(null);
                }
            });
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.error("{} request records were not logged at shutdown", queue.size());
        }
    }
}
