import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Child processes for the tests, on `posix_spawn` and `waitpid` directly.
///
/// Foundation's `Process` learns of a child's exit through SIGCHLD; on a fresh machine its
/// `waitUntilExit` was seen waiting forever for a `tmux new-session` client that had already
/// exited (the client forks the tmux server). Here every pipe is close-on-exec (so a daemon
/// the child starts keeps no test's pipe open), the exit is awaited with a blocking `waitpid`
/// on the child's own pid, and every run has a deadline after which the child is killed and
/// the test fails instead of hanging.
struct SubprocessError: Error, CustomStringConvertible {
  var description: String
}

/// A started child process.
struct Child {
  let pid: pid_t

  /// Starts `executable` with its standard streams on /dev/null.
  static func start(_ executable: String, _ arguments: [String], directory: String? = nil) throws
    -> Child
  {
    try spawnLock.withLock { try spawn(executable, arguments, directory: directory) }
  }

  /// Starts `executable` with its standard streams on the given descriptors (-1 = /dev/null);
  /// call with `spawnLock` held.
  fileprivate static func spawn(
    _ executable: String, _ arguments: [String], directory: String? = nil,
    environment: [String: String]? = nil, stdin: Int32 = -1, stdout: Int32 = -1,
    stderr: Int32 = -1
  ) throws -> Child {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (fd, target, flags) in [
      (stdin, Int32(0), O_RDONLY), (stdout, Int32(1), O_WRONLY), (stderr, Int32(2), O_WRONLY),
    ] {
      if fd >= 0 {
        posix_spawn_file_actions_adddup2(&actions, fd, target)
      } else {
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
      }
    }
    // `posix_spawn_file_actions_addchdir_np` is not visible from Swift: a shell changes folder.
    let command =
      directory.map { ["/bin/sh", "-c", "cd \"$0\" || exit 127; exec \"$@\"", $0, executable] }
      ?? [executable]
    let argv = (command + arguments).map { strdup($0) } + [nil]
    let envStrings =
      environment.map { env in env.keys.sorted().map { "\($0)=\(env[$0] ?? "")" } }
      ?? ProcessInfo.processInfo.environment.keys.sorted().map {
        "\($0)=\(ProcessInfo.processInfo.environment[$0] ?? "")"
      }
    let envp = envStrings.map { strdup($0) } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    if rc != 0 {
      throw SubprocessError(
        description: "cannot start \(executable): \(String(cString: strerror(rc)))")
    }
    return Child(pid: pid)
  }

  /// Waits for the child; returns its exit status, or 128 + the signal that ended it.
  @discardableResult
  func wait() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }

  func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }
}

/// Held while pipes are made and a child started, so that no child started on another thread
/// inherits a pipe before it is marked close-on-exec (`pipe2` is not visible from Swift).
private let spawnLock = NSLock()

/// A pipe whose two ends are closed on exec; call with `spawnLock` held.
private func makePipe() throws -> (read: Int32, write: Int32) {
  var fds: [Int32] = [0, 0]
  if pipe(&fds) != 0 {
    throw SubprocessError(description: "pipe: \(String(cString: strerror(errno)))")
  }
  for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
  return (fds[0], fds[1])
}

/// Runs a command with optional standard input; returns (status, stdout, stderr).
/// A command still running after `timeout` seconds is killed and reported as an error.
func runProcess(
  _ executable: String, _ arguments: [String], input: String? = nil, directory: String? = nil,
  environment: [String: String]? = nil, timeout: Double = 120
) throws -> (Int32, String, String) {
  let (inFD0, outFD, errFD, child) = try spawnLock.withLock {
    let inPipe = try makePipe()
    let outPipe = try makePipe()
    let errPipe = try makePipe()
    defer {
      close(inPipe.read)
      close(outPipe.write)
      close(errPipe.write)
    }
    do {
      let child = try Child.spawn(
        executable, arguments, directory: directory, environment: environment,
        stdin: inPipe.read, stdout: outPipe.write, stderr: errPipe.write)
      return (inPipe.write, outPipe.read, errPipe.read, child)
    } catch {
      for fd in [inPipe.write, outPipe.read, errPipe.read] { close(fd) }
      throw error
    }
  }
  let pending = Array((input ?? "").utf8)
  var written = 0
  var inFD: Int32 = inFD0
  if pending.isEmpty {
    close(inFD)
    inFD = -1
  } else {
    _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
  }
  var out: [UInt8] = []
  var err: [UInt8] = []
  var open: [Int32] = [outFD, errFD]
  let deadline = Date().addingTimeInterval(timeout)
  var buffer = [UInt8](repeating: 0, count: 65536)
  var timedOut = false
  while !open.isEmpty || inFD >= 0 {
    let left = deadline.timeIntervalSinceNow
    if left <= 0 {
      timedOut = true
      break
    }
    var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
    let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000))
    if ready < 0 && errno != EINTR { break }
    for entry in fds where entry.revents != 0 {
      if entry.fd == inFD {
        let n = pending[written...].withUnsafeBytes { write(inFD, $0.baseAddress, $0.count) }
        if n > 0 { written += n }
        if n < 0 && errno != EAGAIN || written == pending.count {
          close(inFD)
          inFD = -1
        }
        continue
      }
      let n = read(entry.fd, &buffer, buffer.count)
      if n > 0 {
        if entry.fd == outFD {
          out += buffer[0..<n]
        } else {
          err += buffer[0..<n]
        }
      } else if n == 0 || errno != EINTR && errno != EAGAIN {
        close(entry.fd)
        open.removeAll { $0 == entry.fd }
      }
    }
  }
  if timedOut { child.kill() }
  for fd in open { close(fd) }
  if inFD >= 0 { close(inFD) }
  let status = child.wait()
  if timedOut {
    throw SubprocessError(
      description: "\(executable) \(arguments.joined(separator: " ")) ran over \(timeout) s")
  }
  return (status, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}
