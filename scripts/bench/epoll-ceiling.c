// epoll-ceiling: the fastest HTTP/1.1 responder this machine can run, as a yardstick for
// Fjern's HTTP figures. One thread per core, each with its own epoll instance and its own
// SO_REUSEPORT listener on 127.0.0.1:PORT. Level-triggered, non-blocking, TCP_NODELAY,
// keep-alive. Every complete request head (ending in CRLF CRLF; GET only, no bodies) gets
// the same small JSON response; pipelined heads read together are answered in one write.
//
//   cc -O2 -pthread -o .build/bench/epoll-ceiling scripts/bench/epoll-ceiling.c
//   .build/bench/epoll-ceiling PORT [THREADS]
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "{\"name\":\"epoll-ceiling\",\"version\":\"1.0.0\",\"build\":\"cc -O2\"}"
static const char response[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: %zu\r\n"
    "\r\n";
static char reply[256];
static size_t reply_len;

enum { BUF_SIZE = 8192, OUT_SIZE = 64 * 1024, MAX_EVENTS = 256 };

struct conn {
    int fd;
    size_t len;
    char buf[BUF_SIZE];
};

static int port;

static void die(const char *what) { perror(what); exit(1); }

// Writes all of p, waiting for POLLOUT on the rare short write. Returns -1 on error.
static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w > 0) { p += w; n -= (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) { struct pollfd q = {fd, POLLOUT, 0}; poll(&q, 1, 1000); continue; }
        return -1;
    }
    return 0;
}

// Reads what is available, answers every complete head. Returns -1 to close the connection.
static int on_readable(struct conn *c) {
    ssize_t r = read(c->fd, c->buf + c->len, BUF_SIZE - c->len);
    if (r == 0) return -1;
    if (r < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    c->len += (size_t)r;
    static __thread char out[OUT_SIZE];
    size_t start = 0, out_len = 0;
    char *end;
    while ((end = memmem(c->buf + start, c->len - start, "\r\n\r\n", 4)) != NULL) {
        if (memcmp(c->buf + start, "GET ", 4) != 0) return -1; // GET only: no bodies to skip
        start = (size_t)(end - c->buf) + 4;
        if (out_len + reply_len > OUT_SIZE) {
            if (write_all(c->fd, out, out_len) < 0) return -1;
            out_len = 0;
        }
        memcpy(out + out_len, reply, reply_len);
        out_len += reply_len;
    }
    if (out_len > 0 && write_all(c->fd, out, out_len) < 0) return -1;
    if (start > 0) { memmove(c->buf, c->buf + start, c->len - start); c->len -= start; }
    return c->len == BUF_SIZE ? -1 : 0; // a head larger than the buffer: give up
}

static void *loop(void *arg) {
    (void)arg;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) die("SO_REUSEPORT");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(lfd, 1024) < 0) die("listen");
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}; // NULL marks the listener
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) die("epoll_ctl");
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) { if (errno == EINTR) continue; die("epoll_wait"); }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (nc == NULL) { close(fd); continue; }
                    nc->fd = fd;
                    nc->len = 0;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = nc};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev) < 0) { close(fd); free(nc); }
                }
                continue;
            }
            if ((events[i].events & (EPOLLERR | EPOLLHUP)) || on_readable(c) < 0) {
                close(c->fd); // also removes it from the epoll set
                free(c);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || (port = atoi(argv[1])) <= 0 || port > 65535) {
        fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
        return 2;
    }
    long threads = argc > 2 ? atol(argv[2]) : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    signal(SIGPIPE, SIG_IGN);
    reply_len = (size_t)snprintf(reply, sizeof reply, response, sizeof BODY - 1);
    memcpy(reply + reply_len, BODY, sizeof BODY - 1);
    reply_len += sizeof BODY - 1;
    pthread_t tid[64];
    if (threads > 64) threads = 64;
    for (long i = 0; i < threads; i++)
        if (pthread_create(&tid[i], NULL, loop, NULL) != 0) die("pthread_create");
    fprintf(stderr, "epoll-ceiling: 127.0.0.1:%d, %ld threads, %zu-byte body\n", port, threads,
            sizeof BODY - 1);
    for (long i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    return 0;
}
