package io.iottokens.keycloak.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The suite's one runner of concurrent requests: tasks released together, one thread each, so the server handles them
 * side by side (every thread waits at a barrier until all have started, then all call at once).
 */
public final class Race {

    /** How long a round may take before the call fails. */
    public static final long TIMEOUT_SECONDS = 120;

    private Race() {
    }

    /** Runs the tasks at once and returns their results in order (a task's exception fails the call). */
    public static <T> List<T> all(List<? extends Callable<? extends T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CyclicBarrier together = new CyclicBarrier(tasks.size());
            List<Callable<T>> gated = new ArrayList<>();
            for (Callable<? extends T> task : tasks) {
                gated.add(() -> {
                    together.await();
                    return task.call();
                });
            }
            List<T> results = new ArrayList<>();
            for (Future<T> done : pool.invokeAll(gated, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                results.add(done.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
