package io.snkb.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.Backfill;
import io.snkb.bridge.BackfillProgress;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The bridge side of {@link SourceBenchmark}, run in a JVM of its own so that its CPU time and heap are the
 * bridge's alone: polls or backfills table {@code incident} of instance {@code bench} until {@code expected}
 * records are acknowledged, then prints one {@code RESULT} line.
 *
 * <p>Arguments: {@code poll|backfill CONFIG EXPECTED}.
 */
public final class BenchBridge {

    private static final boolean TIMELINE = Boolean.getBoolean("bench.timeline");

    private BenchBridge() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        BridgeConfig config = ConfigLoader.load(Path.of(args[1]));
        long expected = Long.parseLong(args[2]);
        HeapPeak heap = new HeapPeak();
        heap.start();
        long cpuBefore = processCpuNanos();
        long jitBefore = compilerCpuNanos();
        long started = System.nanoTime();
        Steady steady = new Steady(expected);
        long records = "poll".equals(mode) ? poll(config, expected, steady) : backfill(config, steady);
        long elapsed = System.nanoTime() - started;
        long cpu = processCpuNanos() - cpuBefore;
        long jit = compilerCpuNanos();
        heap.interrupt();
        System.out.printf(Locale.ROOT, "RESULT records=%d seconds=%.3f cpu_ns=%d peak_heap=%d peak_live=%d "
                        + "max_heap=%d steady_records=%d steady_seconds=%.3f steady_cpu_ns=%d jit_ns=%d "
                        + "steady_jit_ns=%d%n",
                records, elapsed / 1e9, cpu, heap.peak(), heap.peakLive(), Runtime.getRuntime().maxMemory(),
                records - steady.records, (System.nanoTime() - steady.nanos) / 1e9, processCpuNanos() - steady.cpu,
                jit < 0 ? -1 : jit - jitBefore, jit < 0 ? -1 : jit - steady.jit);
        System.exit(0);
    }

    private static long poll(BridgeConfig config, long expected, Steady steady) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BridgeEngine engine = BridgeEngine.builder().config(config).meterRegistry(registry).build()) {
            engine.start();
            while (produced(engine) < expected) {
                steady.observe(produced(engine));
                Thread.sleep(20);
            }
            long produced = produced(engine);
            System.out.printf(Locale.ROOT, "PAGES table_ms=%.1f%n", tableReadMillis(registry));
            return produced;
        }
    }

    /** The mean time of the Table API reads the engine made, as its own meter measured them. */
    private static double tableReadMillis(SimpleMeterRegistry registry) {
        long count = 0;
        double total = 0;
        for (Timer timer : registry.find("bridge.servicenow.requests").tag("method", "GET").tag("endpoint", "table")
                .tag("status", "2xx").timers()) {
            count += timer.count();
            total += timer.totalTime(TimeUnit.MILLISECONDS);
        }
        return count == 0 ? Double.NaN : total / count;
    }

    private static long produced(BridgeEngine engine) {
        return engine.status().tables().stream().mapToLong(TableStatus::recordsProduced).sum();
    }

    private static long backfill(BridgeConfig config, Steady steady) throws InterruptedException {
        try (Backfill backfill = Backfill.builder().config(config).instance("bench").table("incident").build()) {
            backfill.start();
            while (!backfill.awaitFinished(Duration.ofMillis(20))) {
                steady.observe(backfill.progress().acknowledged());
            }
            BackfillProgress end = backfill.progress();
            if (end.state() != BackfillProgress.State.COMPLETED) {
                throw new IllegalStateException("Backfill ended " + end.state() + ": " + end.error());
            }
            return end.acknowledged();
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time of the JIT compiler's threads so far, from {@code /proc/self/task} (Linux, at 100 ticks per
     * second); -1 where that cannot be read. Compiling the bridge's code is a cost of each JVM start, paid
     * mostly in the first seconds, which the benchmark shows apart from the cost per record.
     */
    private static long compilerCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10_000_000L;
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException threadEnded) {
            return 0;
        }
    }

    /**
     * The counters when a fifth of the records were acknowledged: from there on class loading and most JIT
     * compilation are over, and the figures tell the steady cost per record. With {@code -Dbench.timeline=true}
     * also prints, every 250 ms, the time since the start, the records acknowledged, the process CPU used since
     * the start and the JIT compiler's CPU since the JVM started: how the first seconds are spent.
     */
    private static final class Steady {
        private final long threshold;
        private final long startNanos = System.nanoTime();
        private final long startCpu = processCpuNanos();
        private long records;
        private long nanos = startNanos;
        private long cpu = startCpu;
        private long jit = compilerCpuNanos();
        private long lastLine;

        Steady(long expected) {
            this.threshold = expected / 5;
        }

        void observe(long acknowledged) {
            if (TIMELINE && System.nanoTime() - lastLine >= 250_000_000L) {
                lastLine = System.nanoTime();
                System.out.printf(Locale.ROOT, "TIMELINE t=%.2f acked=%d cpu=%.2f jit=%.2f%n",
                        (lastLine - startNanos) / 1e9, acknowledged, (processCpuNanos() - startCpu) / 1e9,
                        compilerCpuNanos() / 1e9);
            }
            if (records == 0 && acknowledged >= threshold) {
                records = acknowledged;
                nanos = System.nanoTime();
                cpu = processCpuNanos();
                jit = compilerCpuNanos();
            }
        }
    }

    /**
     * Samples the heap every 20 ms and keeps the highest used (garbage not yet collected included) and the
     * highest left right after a collection (what the bridge actually holds).
     */
    private static final class HeapPeak extends Thread {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private volatile long peak;
        private volatile long peakLive;

        HeapPeak() {
            super("bench-heap");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long used = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
                peak = Math.max(peak, used);
                long live = pools.stream().filter(p -> p.getCollectionUsage() != null)
                        .mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
                peakLive = Math.max(peakLive, live);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peak() {
            return peak;
        }

        long peakLive() {
            return peakLive;
        }
    }
}
