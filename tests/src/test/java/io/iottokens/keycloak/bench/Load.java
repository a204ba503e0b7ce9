package io.iottokens.keycloak.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** A closed-loop load: {@code threads} callers, each sending its next request when the last one answered. */
final class Load {

    private Load() {
    }

    record Result(long ok, long failed, double seconds) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /** Runs {@code call} (returns the HTTP status) from {@code threads} threads for {@code seconds}; counts 200s. */
    static Result run(int threads, double seconds, IntSupplier call) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (call.getAsInt() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return new Result(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Median latency in milliseconds of {@code n} sequential calls (non-200 answers are an error). */
    static double medianMillis(int n, IntSupplier call) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            int status = call.getAsInt();
            t[i] = System.nanoTime() - s;
            if (status != 200) {
                throw new IllegalStateException("benchmark call answered " + status);
            }
        }
        Arrays.sort(t);
        return t[n / 2] / 1e6;
    }
}
