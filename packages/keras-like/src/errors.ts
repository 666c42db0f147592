/**
 * The error classes Keras raises, so a port of `except ValueError` reads the same
 * and messages keep Keras's wording (PORTING_SPEC §6).
 */

/** An argument has the right type but a wrong value (Python's `ValueError`). */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** A name that keras-like does not know (an unknown loss, optimizer, activation...). */
export class UnknownIdentifierError extends ValueError {
  override name = 'ValueError';
}

/** The model was used in a state that does not allow the call (Python's `RuntimeError`). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/**
 * The object cannot do what was asked until its class implements a method (Python's
 * `NotImplementedError`): a `keras.Model` subclass saved without its own `get_config()`.
 */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}

/** A file a call needs is missing (Python's `FileNotFoundError`): a dataset keras-like cannot download. */
export class FileNotFoundError extends Error {
  override name = 'FileNotFoundError';
}
