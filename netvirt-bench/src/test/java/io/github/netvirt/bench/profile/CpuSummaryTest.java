package io.github.netvirt.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link CpuSummary}: async-profiler's annotated collapsed stacks, by thread group and by what ran. */
class CpuSummaryTest {

    private static CpuSummary of(String... lines) {
        CpuSummary s = new CpuSummary();
        for (String l : lines) {
            s.add(l);
        }
        return s;
    }

    @Test
    void samplesGoToTheirThreadsGroupAndToWhatRan() {
        CpuSummary s = of(
                "[main tid=7];io/github/netvirt/bench/Main.main_[0];io/github/netvirt/core/Applier.runRounds_[0] 4",
                "[main tid=7];io/github/netvirt/core/Applier.runRounds_[1];java/util/HashMap.get_[j] 2",
                "[main tid=7];io/github/netvirt/netns/internal/LibC.sendto_[j];do_syscall_64_[k] 5",
                "[netvirt-switch-2 tid=9];io/github/netvirt/netns/NetNamespace.takeEach_[0];InterpreterRuntime::_new 3",
                "[C1 CompilerThre tid=11];Compiler::compile 6",
                "[C2 CompilerThread0 tid=12];C2Compiler::compile_method 1",
                "[GC Thread#0 tid=13];GCTaskThread::run 8");
        assertThat(s.samples[0]).containsExactly(4, 0, 2, 5, 0);
        assertThat(s.samples[1]).containsExactly(0, 0, 0, 0, 3);
        assertThat(s.samples[2]).containsExactly(0, 0, 0, 0, 6);
        assertThat(s.samples[3]).containsExactly(0, 0, 0, 0, 1);
        assertThat(s.samples[4]).containsExactly(0, 0, 0, 0, 8);
    }

    @Test
    void javaGoesToTheDeepestNetvirtFrameAndTheKernelToNone() {
        CpuSummary s = of(
                "[main tid=7];io/github/netvirt/core/Applier.runRounds_[0];io/github/netvirt/netlink/Exchange.run_[0];java/nio/ByteBuffer.put_[0] 3",
                "[main tid=7];io/github/netvirt/core/Applier.runRounds_[0];java/util/ArrayList.add_[0] 2",
                "[main tid=7];io/github/netvirt/netlink/Exchange.run_[0];io/github/netvirt/netns/internal/LibC.sendto_[j];sock_sendmsg_[k] 9",
                "[main tid=7];io/github/netvirt/bench/Harness.step_[0];java/lang/Thread.sleep_[0] 1",
                "[main tid=7];[unknown];java/util/Set.of_[0] 2");
        assertThat(s.methods.get(0))
                .containsEntry("netlink.Exchange.run", 3L)
                .containsEntry("core.Applier.runRounds", 2L)
                .containsEntry("(no netvirt frame)", 1L)
                .containsEntry("(a stack not walked)", 2L)
                .hasSize(4);
    }

    @Test
    void theProfilersOwnWorkIsLeftOut() {
        CpuSummary s = of(
                "[main tid=7];io/github/netvirt/bench/Main.main_[0];one/profiler/AsyncProfiler.execute0_[0];perf_event_open_[k] 40",
                "[main tid=7];io/github/netvirt/bench/Harness.measureHere_[0];io/github/netvirt/bench/profile/CpuProfiler.pause_[0];java/lang/reflect/Method.invoke_[0] 4",
                "not a stack line");
        for (long[] g : s.samples) {
            assertThat(g).containsOnly(0);
        }
    }

    @Test
    void printsMillisecondsPerUp() {
        CpuSummary s = of("[main tid=7];io/github/netvirt/core/Applier.runRounds_[0] 10");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 5);
        // 10 samples of 200 us over 2 ups: 1 ms per up
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("calling thread: 1.000 = 1.000 + 0.000 + 0.000 + 0.000 + 0.000")
                .contains("   1.000  core.Applier.runRounds");
    }

    @Test
    void theCallersJavaIsPrintedByPathEachFrameWithAllBelowIt() {
        CpuSummary s = of(
                "[main tid=7];io/github/netvirt/bench/Main.main_[0];io/github/netvirt/core/Applier.run_[0];io/github/netvirt/core/Applier$$Lambda$93.0x00007f6850083740.get_[0];io/github/netvirt/core/Applier.steps_[0];io/github/netvirt/core/Rounds.of_[0] 3",
                "[main tid=7];io/github/netvirt/core/Applier.run_[0];io/github/netvirt/core/Applier.steps_[0];io/github/netvirt/netlink/Exchange.run_[0];java/nio/ByteBuffer.put_[1] 6",
                "[main tid=7];io/github/netvirt/core/Applier.run_[0];io/github/netvirt/core/Applier.steps_[0];io/github/netvirt/netlink/Exchange.run_[0];sock_sendmsg_[k] 50",
                "[main tid=7];io/github/netvirt/core/Planner.plan_[0] 1",
                "[netvirt-switch-1 tid=9];io/github/netvirt/netns/NetNamespace.takeEach_[0] 7");
        assertThat(s.callerPaths.samples()).isEqualTo(10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, 5);
        // 200 us samples over 1 up; the kernel's 50 and the switching thread's 7 are in no path, the
        // lambda class is no frame of one, Planner.plan (0.2 ms) is printed, run > steps is one line
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("   1.800  core.Applier.run > core.Applier.steps\n"
                        + "   1.200    netlink.Exchange.run\n"
                        + "   0.600    core.Rounds.of\n"
                        + "   0.200  core.Planner.plan\n")
                .doesNotContain("Lambda");
    }
}
