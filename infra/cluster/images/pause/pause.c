/* Holds a pod's namespaces: sleeps until told to stop, and reaps what it inherits. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction down = {0}, child = {0};
  down.sa_handler = stop;
  sigaction(SIGINT, &down, NULL);
  sigaction(SIGTERM, &down, NULL);
  child.sa_handler = reap;
  child.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &child, NULL);
  for (;;) pause();
}
