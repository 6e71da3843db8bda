namespace DockerNetPlugin.Store;

/// <summary>A store record that failed validation: its key and what is wrong with it, in words an operator can act on.</summary>
public sealed record InvalidRecord(string Key, string Reason);

/// <summary>
/// The outcome of checking one store record: either <see cref="Value"/> (valid, safe to use) or
/// <see cref="Invalid"/> (skip it and report it). Never both, never neither. Shared by the driver's and the IPAM's validators.
/// </summary>
public sealed class RecordCheck<T> where T : class
{
    private RecordCheck(T? value, InvalidRecord? invalid)
    {
        Value = value;
        Invalid = invalid;
    }

    public T? Value { get; }

    public InvalidRecord? Invalid { get; }

    public bool IsValid => Value is not null;

    public static RecordCheck<T> Valid(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static RecordCheck<T> Fail(string key, string reason) => new(null, new InvalidRecord(key, reason));

    public static RecordCheck<T> Fail(InvalidRecord invalid) => new(null, invalid ?? throw new ArgumentNullException(nameof(invalid)));
}

/// <summary>
/// Where a reader reports the store records it skipped as invalid (the driver's invalid-record log implements it; the
/// IPAM reports through it, so both show in one <c>dnp status</c> count and one <c>dnp doctor</c> list).
/// </summary>
public interface IInvalidRecordSink
{
    /// <summary>One invalid record (logged once per key and reason).</summary>
    void Report(InvalidRecord invalid);

    /// <summary>After a full read of <paramref name="prefix"/>: exactly <paramref name="invalidNow"/> are invalid under it.</summary>
    void ReplaceUnder(string prefix, IReadOnlyCollection<InvalidRecord> invalidNow);
}
