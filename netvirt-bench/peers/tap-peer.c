/*
 * tap-peer: the C program netvirt-bench's tap workload measures netvirt-tap against. Plain syscalls,
 * no library: what a TAP frame path costs without Java and JNA.
 *
 * In a private network namespace (unshare; it vanishes with the process, so nothing can be left
 * behind) it makes bridge "tpbr" and taps "tp0" and "tp1" on it, with IPv6 off so the kernel sends
 * nothing of its own. Frames written to tp0's fd enter the bridge, which forwards them (known
 * unicast: both MACs are learned first) to tp1, whose fd a second thread reads.
 *
 * For each frame size, two measurements from tp0 to tp1, each SECONDS long:
 *   unpaced  the writer writes as fast as write() returns; what the reader cannot keep up with is
 *            dropped by tp1's queue and shows as loss;
 *   paced    the writer keeps at most WINDOW frames in flight (written - read): lossless throughput.
 * The writer runs on CPU 0 and the reader on CPU 1, as netvirt-bench's Java side does. The reader
 * counts only this program's frames (EtherType 0x88b5, IEEE "local experimental", and a magic word)
 * and stops after 100 ms of silence once the writer is done.
 *
 * usage: tap-peer [-t SECONDS] [-s SIZE,SIZE...] [-w WINDOW]      defaults: 2 s, 64,1500, 256
 * output: one line per measurement,
 *   result size=64 paced=no written_fps=412345 read_fps=380000 loss_pct=7.85 writer_cpu_fps=420000 reader_cpu_fps=610000
 * (the *_cpu_fps: frames the thread handled per second of CPU time it used; the lower of the two is
 * the rate the program would reach with two CPUs of its own, whatever else runs on the machine)
 * needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and /dev/net/tun. Build: gcc -O2 -pthread tap-peer.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE 0x88b5
#define MAGIC 0x70627462u
#define MAX_FRAME 1514

static const unsigned char SRC_MAC[6] = {0x02, 0x74, 0x70, 0x00, 0x00, 0x01}; /* behind tp0 */
static const unsigned char DST_MAC[6] = {0x02, 0x74, 0x70, 0x00, 0x00, 0x02}; /* behind tp1 */

static void fail(const char *what) {
    fprintf(stderr, "tap-peer: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void set_name(struct ifreq *r, const char *name) {
    memset(r, 0, sizeof *r);
    snprintf(r->ifr_name, IFNAMSIZ, "%s", name);
}

static int open_tap(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) fail("open /dev/net/tun");
    struct ifreq r;
    set_name(&r, name);
    r.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &r) < 0) fail("TUNSETIFF");
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) fail("O_NONBLOCK");
    return fd;
}

static void bring_up(int ctl, const char *name) {
    struct ifreq r;
    set_name(&r, name);
    if (ioctl(ctl, SIOCGIFFLAGS, &r) < 0) fail("SIOCGIFFLAGS");
    r.ifr_flags |= IFF_UP;
    if (ioctl(ctl, SIOCSIFFLAGS, &r) < 0) fail("SIOCSIFFLAGS");
}

static void enslave(int ctl, const char *bridge, const char *port) {
    struct ifreq r;
    set_name(&r, port);
    if (ioctl(ctl, SIOCGIFINDEX, &r) < 0) fail("SIOCGIFINDEX");
    int index = r.ifr_ifindex;
    set_name(&r, bridge);
    r.ifr_ifindex = index;
    if (ioctl(ctl, SIOCBRADDIF, &r) < 0) fail("SIOCBRADDIF");
}

static void ipv6_off(const char *conf) {
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", conf);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return; /* a kernel without IPv6 sends no IPv6 either */
    if (write(fd, "1", 1) != 1) fail(path);
    close(fd);
}

static void make_frame(unsigned char *f, int size, const unsigned char *dst, const unsigned char *src) {
    uint32_t magic = MAGIC;
    memset(f, 0, (size_t)size);
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = ETHERTYPE >> 8;
    f[13] = ETHERTYPE & 0xff;
    memcpy(f + 14, &magic, 4);
    for (int i = 22; i < size; i++) f[i] = (unsigned char)i;
}

static int ours(const unsigned char *f, ssize_t n) {
    uint32_t magic;
    if (n < 18 || f[12] != (ETHERTYPE >> 8) || f[13] != (ETHERTYPE & 0xff)) return 0;
    memcpy(&magic, f + 14, 4);
    return magic == MAGIC;
}

static void pin(int cpu) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpus > 0 ? cpu % cpus : 0, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set); /* best effort, as on the Java side */
}

/* What the kernel counted for the calling thread (as netvirt-bench's ThreadCounters reads it):
 * read(2) and write(2) calls, sleeps, preemptions, ns waited for a CPU; -1 where /proc cannot tell. */
struct counters {
    long long syscr, syscw, sleeps, preempted, wait_ns;
};

static long long field(const char *path, const char *name) {
    char line[256];
    long long v = -1;
    size_t len = strlen(name);
    FILE *f = fopen(path, "re");
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0) {
            v = atoll(line + len);
            break;
        }
    }
    fclose(f);
    return v;
}

static struct counters counters_now(void) {
    struct counters c;
    long long run = 0, wait = -1;
    c.syscr = field("/proc/thread-self/io", "syscr:");
    c.syscw = field("/proc/thread-self/io", "syscw:");
    c.sleeps = field("/proc/thread-self/status", "voluntary_ctxt_switches:");
    c.preempted = field("/proc/thread-self/status", "nonvoluntary_ctxt_switches:");
    FILE *f = fopen("/proc/thread-self/schedstat", "re");
    if (f != NULL) {
        if (fscanf(f, "%lld %lld", &run, &wait) != 2) wait = -1;
        fclose(f);
    }
    c.wait_ns = wait;
    return c;
}

static void counters_since(struct counters *c, const struct counters *before) {
    c->syscr -= before->syscr;
    c->syscw -= before->syscw;
    c->sleeps -= before->sleeps;
    c->preempted -= before->preempted;
    c->wait_ns -= before->wait_ns;
}

/* One measurement, shared by its writer and reader threads. */
struct run {
    int out_fd, in_fd, size, window;
    double deadline;
    _Atomic uint64_t written, read;
    _Atomic int writer_done;
    double writer_cpu, reader_cpu; /* CPU seconds each thread used, for a load-independent rate */
    struct counters writer_counters, reader_counters;
};

static double thread_cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *writer(void *arg) {
    struct run *r = arg;
    unsigned char frame[MAX_FRAME];
    uint64_t n = 0;
    uint32_t seq = 0;
    pin(0);
    struct counters c0 = counters_now();
    double cpu0 = thread_cpu();
    make_frame(frame, r->size, DST_MAC, SRC_MAC);
    while (seconds_now() < r->deadline) {
        for (int k = 0; k < 64; k++) { /* the clock is read once per 64 frames */
            while (r->window > 0 && n - atomic_load_explicit(&r->read, memory_order_acquire) >= (uint64_t)r->window) {
                if (seconds_now() >= r->deadline) goto done;
                sched_yield();
            }
            memcpy(frame + 18, &seq, 4);
            seq++;
            if (write(r->out_fd, frame, (size_t)r->size) == r->size) {
                n++;
                atomic_store_explicit(&r->written, n, memory_order_release);
            }
        }
    }
done:
    r->writer_cpu = thread_cpu() - cpu0;
    r->writer_counters = counters_now();
    counters_since(&r->writer_counters, &c0);
    atomic_store(&r->writer_done, 1);
    return NULL;
}

static void *reader(void *arg) {
    struct run *r = arg;
    unsigned char buf[2048];
    uint64_t n = 0;
    struct pollfd p = {.fd = r->in_fd, .events = POLLIN};
    pin(1);
    struct counters c0 = counters_now();
    double cpu0 = thread_cpu();
    for (;;) {
        int done = atomic_load(&r->writer_done);
        int ready = poll(&p, 1, done ? 100 : 20);
        if (ready < 0 && errno != EINTR) fail("poll");
        if (ready == 0 && done) break; /* 100 ms of silence after the writer stopped: drained */
        for (;;) {
            ssize_t got = read(r->in_fd, buf, sizeof buf);
            if (got < 0) {
                if (errno == EAGAIN || errno == EINTR) break;
                fail("read");
            }
            if (ours(buf, got)) {
                n++;
                atomic_store_explicit(&r->read, n, memory_order_release);
            }
        }
    }
    r->reader_cpu = thread_cpu() - cpu0;
    r->reader_counters = counters_now();
    counters_since(&r->reader_counters, &c0);
    return NULL;
}

static void discard_pending(int fd) {
    unsigned char buf[2048];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

static void measure(int out_fd, int in_fd, int size, int window, double secs) {
    static struct run r;
    pthread_t w, rd;
    discard_pending(in_fd);
    memset(&r, 0, sizeof r);
    r.out_fd = out_fd;
    r.in_fd = in_fd;
    r.size = size;
    r.window = window;
    r.deadline = seconds_now() + secs;
    if (pthread_create(&rd, NULL, reader, &r) != 0) fail("pthread_create");
    if (pthread_create(&w, NULL, writer, &r) != 0) fail("pthread_create");
    pthread_join(w, NULL);
    pthread_join(rd, NULL);
    uint64_t wn = atomic_load(&r.written), rn = atomic_load(&r.read);
    printf("result size=%d paced=%s written_fps=%.0f read_fps=%.0f loss_pct=%.2f writer_cpu_fps=%.0f reader_cpu_fps=%.0f\n",
           size, window ? "yes" : "no", (double)wn / secs, (double)rn / secs,
           wn ? 100.0 * (double)(wn - rn) / (double)wn : 0.0, r.writer_cpu > 0 ? (double)wn / r.writer_cpu : 0.0,
           r.reader_cpu > 0 ? (double)rn / r.reader_cpu : 0.0);
    if (rn > 0 && r.reader_counters.syscr >= 0)
        printf("# coupling size=%d paced=%s reader_empty_reads_per_frame=%.4f reader_sleeps_per_frame=%.4f"
               " writer_cpu_wait_ms=%.3f writer_preempted=%lld reader_cpu_wait_ms=%.3f\n",
               size, window ? "yes" : "no",
               (double)(r.reader_counters.syscr > (long long)rn ? r.reader_counters.syscr - (long long)rn : 0) / (double)rn,
               (double)r.reader_counters.sleeps / (double)rn, (double)r.writer_counters.wait_ns / 1e6,
               r.writer_counters.preempted, (double)r.reader_counters.wait_ns / 1e6);
    fflush(stdout);
}

int main(int argc, char **argv) {
    double secs = 2;
    int window = 256;
    char sizes[128] = "64,1500";
    int c;
    while ((c = getopt(argc, argv, "t:s:w:")) != -1) {
        if (c == 't') secs = atof(optarg);
        else if (c == 's') snprintf(sizes, sizeof sizes, "%s", optarg);
        else if (c == 'w') window = atoi(optarg);
        else {
            fprintf(stderr, "usage: %s [-t SECONDS] [-s SIZE,SIZE...] [-w WINDOW]\n", argv[0]);
            return 2;
        }
    }
    if (secs <= 0 || window < 1) {
        fprintf(stderr, "tap-peer: SECONDS and WINDOW must be positive\n");
        return 2;
    }
    if (unshare(CLONE_NEWNET) < 0) fail("unshare(CLONE_NEWNET)");
    /* /proc/sys/net is the reading thread's namespace: new devices inherit "default" */
    ipv6_off("default");
    ipv6_off("all");

    int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ctl < 0) fail("socket");
    if (ioctl(ctl, SIOCBRADDBR, "tpbr") < 0) fail("SIOCBRADDBR");
    int tp0 = open_tap("tp0"), tp1 = open_tap("tp1");
    enslave(ctl, "tpbr", "tp0");
    enslave(ctl, "tpbr", "tp1");
    bring_up(ctl, "tp0");
    bring_up(ctl, "tp1");
    bring_up(ctl, "tpbr");
    usleep(100 * 1000);

    /* one frame each way teaches the bridge where both MACs are: the measured frames are known unicast */
    unsigned char f[64];
    make_frame(f, 64, DST_MAC, SRC_MAC);
    if (write(tp0, f, 64) != 64) fail("write tp0");
    make_frame(f, 64, SRC_MAC, DST_MAC);
    if (write(tp1, f, 64) != 64) fail("write tp1");
    usleep(50 * 1000);

    printf("# tap-peer: private namespace, bridge tpbr, taps tp0 -> tp1, %.2f s per measurement, window %d, %ld CPUs\n",
           secs, window, sysconf(_SC_NPROCESSORS_ONLN));
    for (char *s = strtok(sizes, ","); s != NULL; s = strtok(NULL, ",")) {
        int size = atoi(s);
        if (size < 60 || size > MAX_FRAME) {
            fprintf(stderr, "tap-peer: frame size %d is outside 60..%d\n", size, MAX_FRAME);
            return 2;
        }
        measure(tp0, tp1, size, 0, secs);
        measure(tp0, tp1, size, window, secs);
    }
    return 0;
}
