namespace DockerNetPlugin.Store;

/// <summary>One operation of an atomic <see cref="IKvStore.CommitAsync"/>.</summary>
public abstract record KvOp(string Key);

/// <summary>Set the key if its version equals <paramref name="ExpectedVersion"/> (0 = must not exist; null = no compare).</summary>
public sealed record KvSetOp(string Key, ReadOnlyMemory<byte> Value, ulong? ExpectedVersion, ILease? Lease = null) : KvOp(Key);

/// <summary>Delete the key if its version equals <paramref name="ExpectedVersion"/> (null = no compare).</summary>
public sealed record KvDeleteOp(string Key, ulong? ExpectedVersion) : KvOp(Key);

/// <summary>Only compare: the key's version must equal <paramref name="ExpectedVersion"/> (0 = must not exist).</summary>
public sealed record KvCheckOp(string Key, ulong ExpectedVersion) : KvOp(Key);
