using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>Typed JSON records over an <see cref="IKvStore"/>: one place that (de)serialises and compares versions.</summary>
internal sealed class RecordStore
{
    public RecordStore(IKvStore store) => Store = store;

    public IKvStore Store { get; }

    public async Task<Versioned<T>?> GetAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var entry = await Store.GetAsync(key, ct).ConfigureAwait(false);
        return entry is null ? null : new Versioned<T>(Decode(entry, type), entry.Version);
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListAsync<T>(string prefix, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var snapshot = await Store.ListAsync(prefix, ct).ConfigureAwait(false);
        return snapshot.Entries.Select(e => new Versioned<T>(Decode(e, type), e.Version)).ToList();
    }

    public Task<ulong> PutAsync<T>(string key, T value, JsonTypeInfo<T> type, ILease? lease, CancellationToken ct) =>
        Store.PutAsync(key, Encode(value, type), lease, ct);

    /// <summary>Create-only write; returns the existing value on conflict.</summary>
    public async Task<(bool Created, Versioned<T>? Existing)> CreateAsync<T>(string key, T value, JsonTypeInfo<T> type, ILease? lease, CancellationToken ct)
    {
        var result = await Store.CompareAndSetAsync(key, Encode(value, type), 0, lease, ct).ConfigureAwait(false);
        if (result.Succeeded)
            return (true, null);
        return (false, result.Current is null ? null : new Versioned<T>(Decode(result.Current, type), result.Current.Version));
    }

    /// <summary>Compare-and-set against the version read before; false when someone else wrote meanwhile.</summary>
    public async Task<bool> UpdateAsync<T>(string key, T value, ulong version, JsonTypeInfo<T> type, CancellationToken ct) =>
        (await Store.CompareAndSetAsync(key, Encode(value, type), version, null, ct).ConfigureAwait(false)).Succeeded;

    public Task<bool> DeleteAsync(string key, CancellationToken ct) => Store.DeleteAsync(key, ct);

    public static T Decode<T>(KvEntry entry, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(entry.Value.Span, type)
                ?? throw new DriverException($"store record {entry.Key} is empty");
        }
        catch (JsonException e)
        {
            throw new DriverException($"store record {entry.Key} is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    public static ReadOnlyMemory<byte> Encode<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
