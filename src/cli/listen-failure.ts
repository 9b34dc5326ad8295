// Start-up failures the operator can fix, said in one line that names the
// fix, instead of a log record with a stack.
export function listenFailure(err: unknown, host: string, port: number): string | null {
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is in use; choose another with --port`;
    case "EACCES":
      return `port ${port} on ${host} needs privileges this process lacks; choose one above 1023 with --port`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine; choose another with --host`;
    default:
      return null;
  }
}
