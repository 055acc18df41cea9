// The audio inputs' errors (a WAV, an MP3, a caller-audio description) share one shape: where the
// problem is and what it is, so a CLI flag or an API field can report it located.

/** An input that cannot be used; `message` is "<where>: <what is wrong>". */
export class LocatedError extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}
