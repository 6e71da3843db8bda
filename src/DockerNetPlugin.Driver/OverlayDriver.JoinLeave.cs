using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Sandbox;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// Join: make sure the network's namespace exists (replaying known peers into it), create the endpoint's veth
    /// (overlay end on br0, container end left in the host namespace for Docker to move), and publish the endpoint
    /// record under this host's lease so every other host programs it. No gateway is returned: Docker then
    /// attaches docker_gwbridge for NAT and published ports.
    /// </summary>
    public async Task<JoinResult> JoinAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) ?? throw UnknownNetwork(dockerNetworkId);
        using (locked.Release)
        {
            var runtime = locked.Runtime;
            if (!runtime.Endpoints.TryGetValue(endpointId, out var endpoint))
                throw new NotFoundException($"endpoint {endpointId} is not known on network {dockerNetworkId}; Docker must call CreateEndpoint first");

            var createdSandbox = EnsureSandbox(runtime);
            try
            {
                lock (runtime.KernelGate)
                    runtime.Sandbox!.AttachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName, PhysicalAddress.Parse(endpoint.Mac));
                var joined = endpoint with { Joined = true };
                await _local.PutAsync(ClusterKeys.LocalEndpoint(dockerNetworkId, endpointId), joined, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
                runtime.Endpoints[endpointId] = joined;
                await PublishAsync(runtime.Network, joined, ct).ConfigureAwait(false);
                return new JoinResult(endpoint.ContainerSideName, "eth");
            }
            catch
            {
                lock (runtime.KernelGate)
                    runtime.Sandbox?.DetachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName);
                if (createdSandbox && !runtime.Endpoints.Values.Any(e => e.Joined))
                    DestroySandbox(runtime);
                throw;
            }
        }
    }

    /// <summary>Leave: withdraw the endpoint record and delete its veth. Unknown or repeated calls succeed.</summary>
    public async Task LeaveAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
        if (locked is not { } l)
            return;
        using (l.Release)
        {
            if (!l.Runtime.Endpoints.TryGetValue(endpointId, out var endpoint) || !endpoint.Joined)
                return;
            await DetachAsync(l.Runtime, endpoint, ct).ConfigureAwait(false);
            var left = endpoint with { Joined = false };
            await _local.PutAsync(ClusterKeys.LocalEndpoint(dockerNetworkId, endpointId), left, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
            l.Runtime.Endpoints[endpointId] = left;
        }
    }

    private async Task DetachAsync(NetworkRuntime runtime, LocalEndpoint endpoint, CancellationToken ct)
    {
        await _lease.DeleteAsync(ClusterKeys.Endpoint(runtime.Network.LogicalId, endpoint.EndpointId), ct).ConfigureAwait(false);
        lock (runtime.KernelGate)
            runtime.Sandbox?.DetachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName);
    }

    private Task PublishAsync(LocalNetwork network, LocalEndpoint endpoint, CancellationToken ct)
    {
        var record = new EndpointRecord(network.LogicalId, endpoint.EndpointId, _options.HostId, endpoint.IPv4, endpoint.IPv6, endpoint.Mac, _underlay.Locator.ToString());
        return _lease.PutAsync(ClusterKeys.Endpoint(network.LogicalId, endpoint.EndpointId), RecordStore.Encode(record, DriverJsonContext.Default.EndpointRecord), ct);
    }

    /// <summary>Build or re-open the network's namespace; true when this call created it.</summary>
    private bool EnsureSandbox(NetworkRuntime runtime)
    {
        lock (runtime.KernelGate)
        {
            if (runtime.Sandbox is not null)
                return false;
            var network = runtime.Network;
            var gateways = network.Subnets.Where(s => s.Gateway is not null).Select(s => InterfaceAddress.Parse(s.Gateway!, "gateway")).ToList();
            var spec = new SandboxSpec(SandboxPath(network), network.LogicalId, network.Vni, _options.VxlanPort, network.Mtu, gateways);
            runtime.Sandbox = OverlaySandbox.Ensure(spec, _host);
            runtime.Misses = MissResponder.Start(runtime.Sandbox.Namespace, miss => AnswerMiss(runtime, miss), _logger);
            DriverLog.SandboxReady(_logger, network.SandboxName, network.Vni);
            ProgramPeers(runtime, _peers.Of(network.LogicalId), []);
            return true;
        }
    }

    private void DestroySandbox(NetworkRuntime runtime)
    {
        lock (runtime.KernelGate)
        {
            if (runtime.Sandbox is null)
            {
                OverlaySandboxCleanup.DeleteIfPresent(SandboxPath(runtime.Network));
                return;
            }
            runtime.Misses?.StopInBackground();
            runtime.Misses = null;
            runtime.Sandbox.Destroy();
            runtime.Sandbox = null;
        }
        DriverLog.SandboxRemoved(_logger, runtime.Network.SandboxName);
    }
}
