#ifndef FJERN_CSHIMS_H
#define FJERN_CSHIMS_H
// What Swift's Glibc module does not export: epoll, accept4 with flags, eventfd,
// and a few socket constants that are macros.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <sys/random.h>

static inline int fj_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int fj_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

/// Fills parallel arrays so Swift never touches the packed `struct epoll_event`.
int fj_epoll_wait(int epfd, uint32_t *events, uint64_t *data, int max, int timeout_ms);

/// accept4 needs _GNU_SOURCE, which must not leak into the headers Swift's Glibc module also sees.
int fj_accept4(int fd, struct sockaddr_storage *addr, socklen_t *len);

static inline long fj_getrandom(void *buf, size_t len) { return (long)getrandom(buf, len, 0); }

static inline int fj_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

static inline int fj_socket_stream(int family) { return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); }

static inline int fj_ignore_sigpipe(void) { return signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -1 : 0; }

static const uint32_t FJ_EPOLLIN = EPOLLIN;
static const uint32_t FJ_EPOLLOUT = EPOLLOUT;
static const uint32_t FJ_EPOLLERR = EPOLLERR;
static const uint32_t FJ_EPOLLHUP = EPOLLHUP;
static const uint32_t FJ_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t FJ_EPOLLET = EPOLLET;
static const int FJ_EPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int FJ_EPOLL_CTL_MOD = EPOLL_CTL_MOD;
static const int FJ_EPOLL_CTL_DEL = EPOLL_CTL_DEL;
static const int FJ_MSG_NOSIGNAL = MSG_NOSIGNAL;

void fj_install_shutdown_signals(void);
int fj_wait_shutdown_signal(void);
void fj_trigger_shutdown_signal(void);

#endif
