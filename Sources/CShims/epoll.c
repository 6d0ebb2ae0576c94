#define _GNU_SOURCE
#include "CShims.h"

int fj_epoll_wait(int epfd, uint32_t *events, uint64_t *data, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        events[i] = evs[i].events;
        data[i] = evs[i].data.u64;
    }
    return n;
}

int fj_accept4(int fd, struct sockaddr_storage *addr, socklen_t *len) {
    return accept4(fd, (struct sockaddr *)addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/* Shutdown signals: the handler writes to an eventfd; a thread blocks reading it. */
#include <signal.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>

static int shutdown_fd = -1;
static volatile sig_atomic_t last_signal = 0;

static void on_shutdown_signal(int sig) {
    int saved = errno;
    uint64_t one = 1;
    last_signal = sig;
    if (shutdown_fd >= 0) { ssize_t r = write(shutdown_fd, &one, sizeof one); (void)r; }
    errno = saved;
}

void fj_install_shutdown_signals(void) {
    if (shutdown_fd < 0) shutdown_fd = eventfd(0, EFD_CLOEXEC);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_shutdown_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int fj_wait_shutdown_signal(void) {
    uint64_t value;
    while (read(shutdown_fd, &value, sizeof value) < 0 && errno == EINTR) {}
    return last_signal;
}

void fj_trigger_shutdown_signal(void) { on_shutdown_signal(0); }
