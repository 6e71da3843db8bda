using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Replication;

/// <summary>
/// Which of this host's dnp networks and endpoints Docker itself still has (Engine API), read without any
/// driver lock held. A network or endpoint Docker lacks is only called stale once it was missing in two reads
/// some seconds apart: while Docker creates one, the Engine API does not show it yet.
/// </summary>
public sealed class DockerView(IDockerEngine engine) : IDockerState
{
    private static readonly TimeSpan s_confirmAfter = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, DateTime> _suspects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _endpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missingNetworks = new(StringComparer.Ordinal);

    public string? Unavailable { get; private set; }

    /// <summary>Reads Docker's view of <paramref name="dockerNetworkIds"/>; on failure the view is unavailable (nothing is called stale).</summary>
    public async Task ReadAsync(IEnumerable<string> dockerNetworkIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dockerNetworkIds);
        _endpoints.Clear();
        _missingNetworks.Clear();
        Unavailable = null;
        try
        {
            foreach (var id in dockerNetworkIds)
            {
                var network = await engine.InspectNetworkAsync(id, ct).ConfigureAwait(false);
                if (network is null)
                    _missingNetworks.Add(id);
                else
                    _endpoints[id] = (network.Containers ?? new Dictionary<string, NetworkContainer>()).Values
                        .Select(c => c.EndpointId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            }
        }
        catch (Exception e) when (e is DockerEngineException or HttpRequestException or IOException)
        {
            Unavailable = $"Docker's view not checked: {e.Message}";
            _endpoints.Clear();
            _missingNetworks.Clear();
        }
    }

    /// <summary>Docker no longer has this network (confirmed by an earlier read too).</summary>
    public bool NetworkGone(string dockerNetworkId) => Unavailable is null && Confirm("n/" + dockerNetworkId, _missingNetworks.Contains(dockerNetworkId));

    /// <summary>Docker's network no longer lists this endpoint (confirmed by an earlier read too).</summary>
    public bool EndpointGone(string dockerNetworkId, string endpointId) =>
        Unavailable is null && _endpoints.TryGetValue(dockerNetworkId, out var known) && Confirm("e/" + endpointId, !known.Contains(endpointId));

    private bool Confirm(string key, bool missingNow)
    {
        if (!missingNow)
        {
            _suspects.Remove(key);
            return false;
        }
        var now = DateTime.UtcNow;
        if (!_suspects.TryGetValue(key, out var since))
        {
            _suspects[key] = now;
            return false;
        }
        return now - since >= s_confirmAfter;
    }
}
