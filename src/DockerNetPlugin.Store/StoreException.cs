namespace DockerNetPlugin.Store;

/// <summary>Root of every store failure. Messages name the store address and what failed, never secrets.</summary>
public class StoreException : Exception
{
    public StoreException(string message) : base(message) { }
    public StoreException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>Transient: connection refused, timeout, 5xx, no leader. Retryable.</summary>
public sealed class StoreUnavailableException : StoreException
{
    public StoreUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>401/403 or a bad token.</summary>
public sealed class StoreAuthException : StoreException
{
    public StoreAuthException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A value or transaction above <see cref="KvLimits"/>.</summary>
public sealed class StoreTooLargeException : StoreException
{
    public StoreTooLargeException(string message) : base(message) { }
}

/// <summary>A key outside the safe alphabet, refused before any request is sent.</summary>
public sealed class StoreInvalidKeyException : StoreException
{
    public StoreInvalidKeyException(string message) : base(message) { }
}

/// <summary>A write named a lease that has expired or been revoked; grant a new one and re-create the keys.</summary>
public sealed class StoreLeaseLostException : StoreException
{
    public StoreLeaseLostException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The TLS handshake with the store failed: its certificate is not trusted, or it refused ours (or our lack of one).
/// A configuration problem, not retried; the message names the store address and the cause.
/// </summary>
public sealed class StoreTlsException : StoreException
{
    public StoreTlsException(string message, Exception? inner = null) : base(message, inner) { }
}
