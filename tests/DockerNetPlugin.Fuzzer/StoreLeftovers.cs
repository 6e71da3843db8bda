using System.Text;
using System.Text.Json;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Records left in a stopped plugin's embedded stores (the cluster store and the state dir's local store): pools,
/// addresses, VNIs, networks, memberships, endpoints. An empty pool index is not a record of anything. Opening a
/// store deletes the keys of the previous process's leases (its host record and endpoint records); more than one
/// such key means endpoint records that no Leave or DeleteEndpoint withdrew, so that count is checked too.
/// </summary>
public static class StoreLeftovers
{
    private const string IndexKey = KeyLayout.Root + "/ipam/index";

    /// <summary>The state dir's note of which lease the next start resumes: kept by design across stops, not a leftover.</summary>
    private const string LeaseMemoKey = KeyLayout.Root + "/local-lease";

    public static async Task<IReadOnlyList<string>> ListAsync(IEnumerable<string> directories, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var leftovers = new List<string>();
        foreach (var directory in directories)
        {
            using var leases = new LeaseExpiryCounter();
            await using var store = await FileKvStore.OpenAsync(new FileKvStoreOptions(directory), leases, ct).ConfigureAwait(false);
            var snapshot = await store.ListAsync(KeyLayout.Root + "/", ct).ConfigureAwait(false);
            foreach (var entry in snapshot.Entries.Where(e => e.Key != LeaseMemoKey && !(e.Key == IndexKey && IsEmptyIndex(e.Value.Span))))
                leftovers.Add($"{directory}: {entry.Key} = {Excerpt.Of(Encoding.UTF8.GetString(entry.Value.Span), 160)}");
            if (leases.ExpiredKeys > 1)
                leftovers.Add($"{directory}: {leases.ExpiredKeys} keys under the stopped plugin's lease; only its host record should be there (the rest are endpoint records never withdrawn)");
        }
        return leftovers;
    }

    private static bool IsEmptyIndex(ReadOnlySpan<byte> value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.EnumerateObject().All(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads the embedded store's "deleted N keys of leases held by the previous process" line (event 4303).</summary>
    private sealed class LeaseExpiryCounter : ILoggerFactory, ILogger
    {
        private const int ExpiredPreviousLeases = 4303;

        public int ExpiredKeys { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ExpiredPreviousLeases && state is IEnumerable<KeyValuePair<string, object?>> fields
                && fields.FirstOrDefault(f => f.Key == "Keys").Value is int keys)
                ExpiredKeys += keys;
        }

        public void Dispose()
        {
        }
    }
}
