using J = DockerNetPlugin.Protocol.PluginJsonContext;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Everything any successful call may have created, read back from the request with the plugin's own decoder and
/// from the reply, whatever produced it (a structured call, or a mutation that happened to be valid). It only grows:
/// the closing phase deletes all of it, and deleting what is already gone succeeds.
/// </summary>
public sealed class ObjectLedger
{
    // Guards every collection below; held only for in-memory updates.
    private readonly Lock _gate = new();
    private readonly HashSet<string> _networks = new(StringComparer.Ordinal);
    private readonly HashSet<(string Network, string Endpoint)> _endpoints = [];
    private readonly Dictionary<string, int> _poolHolds = new(StringComparer.Ordinal);
    private readonly HashSet<(string Pool, string Address)> _addresses = [];

    public void Observe(FuzzRequest request, Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Outcome != Outcome.Success || verdict.Root is not { } reply || request.Method != HttpMethod.Post)
            return;
        var path = PluginApi.Methods.FirstOrDefault(m => string.Equals(m, request.Path, StringComparison.OrdinalIgnoreCase));
        lock (_gate)
        {
            switch (path)
            {
                case PluginApi.CreateNetwork when ReplyJson.Decode(request.Body, J.Default.CreateNetworkRequest)?.NetworkId is { } id:
                    _networks.Add(id);
                    break;
                case PluginApi.CreateEndpoint when ReplyJson.Decode(request.Body, J.Default.CreateEndpointRequest) is { NetworkId: { } n, EndpointId: { } e }:
                    _endpoints.Add((n, e));
                    break;
                case PluginApi.RequestPool when ReplyJson.String(reply, "PoolID") is { Length: > 0 } poolId:
                    _poolHolds[poolId] = _poolHolds.GetValueOrDefault(poolId) + 1;
                    break;
                case PluginApi.RequestAddress when ReplyJson.Decode(request.Body, J.Default.RequestAddressRequest)?.PoolId is { } pool
                                                 && ReplyJson.String(reply, "Address") is { } address:
                    _addresses.Add((pool, address));
                    break;
            }
        }
    }

    public IReadOnlyList<string> Networks
    {
        get
        {
            lock (_gate)
                return [.. _networks.Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<(string Network, string Endpoint)> Endpoints
    {
        get
        {
            lock (_gate)
                return [.. _endpoints.OrderBy(e => e.Network, StringComparer.Ordinal).ThenBy(e => e.Endpoint, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every pool ID with how many holds this host took on it (each RequestPool adds one; ReleasePool drops one).</summary>
    public IReadOnlyList<(string PoolId, int Holds)> PoolHolds
    {
        get
        {
            lock (_gate)
                return [.. _poolHolds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
        }
    }

    public IReadOnlyList<(string Pool, string Address)> Addresses
    {
        get
        {
            lock (_gate)
                return [.. _addresses.OrderBy(a => a.Pool, StringComparer.Ordinal).ThenBy(a => a.Address, StringComparer.Ordinal)];
        }
    }
}
