package verity.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Commits the small write transactions of concurrent callers together (SQLite). One thread takes whatever work
 * is waiting (up to {@link #MAX_BATCH}) and runs it in one transaction, each piece in its own savepoint so a
 * failing one is undone alone; every caller returns after that commit, so a returned write is as durable as one
 * committed on its own. SQLite commits one transaction at a time, so this turns N commits (and N hand-offs of the
 * writer lock) into one.
 */
final class GroupCommit {
    private static final int MAX_BATCH = 64;

    private record Task<T>(Database.Work<T> work, CompletableFuture<T> done) {
        void run(Database db, List<Runnable> completions) {
            try {
                T result = db.inSavepoint(work);
                completions.add(() -> done.complete(result));
            } catch (RuntimeException | Error e) {
                completions.add(() -> done.completeExceptionally(e));
            }
        }
    }

    private final Database db;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    GroupCommit(Database db) {
        this.db = db;
        this.writer = Thread.ofPlatform().name("verity-group-commit").daemon().unstarted(this::loop);
        writer.start();
    }

    <T> T run(Database.Work<T> work) {
        Task<T> task = new Task<>(work, new CompletableFuture<>());
        queue.add(task);
        try {
            return task.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            List<Runnable> completions = new ArrayList<>();
            try {
                db.inTransaction(() -> {
                    for (Task<?> task : batch) {
                        task.run(db, completions);
                    }
                    return null;
                });
                completions.forEach(Runnable::run);
            } catch (RuntimeException | Error e) {
                batch.forEach(t -> t.done().completeExceptionally(e));
            }
            batch.clear();
        }
        Task<?> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("database closed"));
        }
    }

    void close() {
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
