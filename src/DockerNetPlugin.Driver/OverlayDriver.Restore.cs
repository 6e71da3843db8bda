using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// Docker replays nothing to a restarted plugin: rebuild the runtime from the local state dir, re-open the
    /// namespaces of networks with joined endpoints (existing devices and flows are kept), and re-announce the
    /// joined endpoints under the new lease.
    /// </summary>
    private async Task<(int Networks, int Endpoints)> RestoreAsync(CancellationToken ct)
    {
        var networks = await _local.ListAsync(ClusterKeys.LocalNetworksPrefix, DriverJsonContext.Default.LocalNetwork, ct).ConfigureAwait(false);
        foreach (var network in networks)
            _networks[network.Value.DockerNetworkId] = new NetworkRuntime(network.Value);

        var endpoints = await _local.ListAsync(ClusterKeys.LocalEndpointsPrefix, DriverJsonContext.Default.LocalEndpoint, ct).ConfigureAwait(false);
        foreach (var endpoint in endpoints)
        {
            if (_networks.TryGetValue(endpoint.Value.DockerNetworkId, out var runtime))
                runtime.Endpoints[endpoint.Value.EndpointId] = endpoint.Value;
            else
                await _local.DeleteAsync(ClusterKeys.LocalEndpoint(endpoint.Value.DockerNetworkId, endpoint.Value.EndpointId), ct).ConfigureAwait(false);
        }

        foreach (var runtime in _networks.Values)
        {
            var joined = runtime.Endpoints.Values.Where(e => e.Joined).ToList();
            if (joined.Count == 0)
                continue;
            try
            {
                EnsureSandbox(runtime);
                foreach (var endpoint in joined)
                    await PublishAsync(runtime.Network, endpoint, ct).ConfigureAwait(false);
            }
            catch (DriverException e)
            {
                DriverLog.RestoreFailed(_logger, runtime.Network.DockerNetworkId, e.Message);
            }
        }
        return (networks.Count, endpoints.Count);
    }
}
