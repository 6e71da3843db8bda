using System.Globalization;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// CreateNetwork: map this Docker network to a logical network (its <c>dnp.network</c> option, else a new one
    /// named by this Docker ID), take or check its VNI, and record this host's membership. The namespace is built
    /// lazily on the first Join. Repeating the call is harmless; a failure leaves nothing behind.
    /// </summary>
    public async Task CreateNetworkAsync(NetworkCreation request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Subnets.Count == 0)
            throw new InvalidRequestException("a dnp network needs at least one subnet: give --subnet, or use --ipam-driver dnp");
        var logicalId = LogicalIdOf(request);
        var requestedVni = ParseVni(request.DriverOptions);
        var requestedMulticast = ParseMulticast(request.DriverOptions);
        var mtu = ParseMtu(request.DriverOptions) ?? _underlay.OverlayMtu;
        var subnets = request.Subnets.Select(s => new SubnetRecord(s.Pool.ToString(), s.Gateway?.ToString())).ToList();

        // The check that a host joins a logical network through one Docker network, and the registration, are one step.
        await _registryGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var existingLocal = await _local.GetAsync(ClusterKeys.LocalNetwork(request.DockerNetworkId), DriverJsonContext.Default.LocalNetwork, ct).ConfigureAwait(false);
            if (existingLocal is not null)
            {
                if (existingLocal.Value.LogicalId != logicalId)
                    throw new ConflictException($"Docker network {request.DockerNetworkId} already maps to logical network {existingLocal.Value.LogicalId}");
                _networks.TryAdd(request.DockerNetworkId, new OverlayNetwork(existingLocal.Value, _services));
                return; // a repeated CreateNetwork
            }
            if (_networks.Values.FirstOrDefault(n => n.LogicalId == logicalId) is { } other)
            {
                // One namespace, one membership and one set of endpoint records per logical network and host: a second
                // Docker network would share them, and removing either would tear them down under the other.
                throw new ConflictException(
                    $"logical network {logicalId} is already on this host as Docker network {other.DockerNetworkId[..Math.Min(12, other.DockerNetworkId.Length)]}; " +
                    "a host joins a logical network through one Docker network (use that one, or remove it first)");
            }

            var (record, createdHere) = await EnsureLogicalNetworkAsync(logicalId, request, subnets, requestedVni, requestedMulticast, ParseMtu(request.DriverOptions), ct).ConfigureAwait(false);
            try
            {
                var (membershipKey, membership) = MembershipRecord(logicalId, request.DockerNetworkId);
                await PutOwnedAsync(membershipKey, membership, ct).ConfigureAwait(false);
                _restorer.Hold(membershipKey, membership); // put back at once should another writer delete or change it
                var local = new LocalNetwork(request.DockerNetworkId, logicalId, record.Vni, record.Subnets, record.Internal, record.EnableIPv6,
                    record.Mtu ?? mtu, DeviceNames.Sandbox(logicalId), MulticastOf(record));
                await _local.PutAsync(ClusterKeys.LocalNetwork(request.DockerNetworkId), local, DriverJsonContext.Default.LocalNetwork, null, ct).ConfigureAwait(false);
                _networks.TryAdd(request.DockerNetworkId, new OverlayNetwork(local, _services));
                SyncGuard(); // before any Join can make a VXLAN device
                DriverLog.NetworkCreated(_logger, request.DockerNetworkId, logicalId, record.Vni);
            }
            catch
            {
                _restorer.Release(ClusterKeys.Membership(logicalId, _options.HostId));
                await DeleteOwnedAsync(ClusterKeys.Membership(logicalId, _options.HostId), CancellationToken.None).ConfigureAwait(false);
                if (createdHere)
                    await RemoveLogicalNetworkAsync(record, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _registryGate.Release();
        }
        // Records of this network admitted while it was unknown here were not checked against its subnets; now they are.
        await _peerSync.RecheckNetworkAsync(logicalId, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// DeleteNetwork: remove the namespace and this host's membership; the last host to leave removes the logical
    /// network and frees its VNI. Unknown networks succeed (Docker only logs errors here anyway).
    /// </summary>
    public async Task DeleteNetworkAsync(string dockerNetworkId, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
        if (locked is not { } l)
            return;
        using (l.Release)
            await DeleteNetworkLockedAsync(l.Network, ct).ConfigureAwait(false);
    }

    /// <summary>DeleteNetwork's work; the caller holds the network's lock.</summary>
    private async Task DeleteNetworkLockedAsync(OverlayNetwork network, CancellationToken ct)
    {
        var dockerNetworkId = network.DockerNetworkId;
        var logicalId = network.LogicalId;
        // First: Docker removes the network even when this call fails (it only logs a driver's error), and the removal
        // must still reach the other hosts and must not be undone by replication here.
        if (_options.Replicate)
            Deleted.Remember(dockerNetworkId, logicalId);
        await AwaitStoreAsync(await network.RemoveAllAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        _restorer.Release(ClusterKeys.Membership(logicalId, _options.HostId));
        await DeleteOwnedAsync(ClusterKeys.Membership(logicalId, _options.HostId), ct).ConfigureAwait(false);
        var last = (await MembershipEntriesAsync(logicalId, ct).ConfigureAwait(false)).Count == 0;
        if (last)
        {
            var record = await ClusterNetworks.GetAsync(logicalId, ct).ConfigureAwait(false); // an invalid record stays (reported) for its writer or an operator
            if (record is not null)
                await RemoveLogicalNetworkAsync(record.Value, ct).ConfigureAwait(false);
        }
        await _local.DeleteAsync(ClusterKeys.LocalNetwork(dockerNetworkId), ct).ConfigureAwait(false);
        _networks.TryRemove(dockerNetworkId, out _);
        SyncGuard(); // the last network takes the guard with it
        DriverLog.NetworkDeleted(_logger, dockerNetworkId, logicalId, last);
    }

    private async Task<(NetworkRecord Record, bool CreatedHere)> EnsureLogicalNetworkAsync(
        string logicalId, NetworkCreation request, IReadOnlyList<SubnetRecord> subnets, uint? requestedVni, bool? requestedMulticast, int? mtu, CancellationToken ct)
    {
        var key = ClusterKeys.Network(logicalId);
        var (existing, invalid) = await ClusterNetworks.GetCheckedAsync(logicalId, ct).ConfigureAwait(false);
        if (invalid is not null)
            throw new ConflictException($"the store's record of logical network {logicalId} ({invalid.Key}) is invalid: {invalid.Reason}; fix or delete that key, or use another -o {DriverOptionNames.Network}");
        if (existing is not null)
            return (CheckCompatible(existing.Value, subnets, requestedVni, requestedMulticast), false);

        // Never write what other hosts (and this one) would refuse to read: checked before anything is allocated.
        var candidate = new NetworkRecord(logicalId, null, requestedVni ?? 4096, subnets, request.Internal, request.EnableIPv6, mtu,
            request.DriverOptions, _options.HostId, DateTimeOffset.UtcNow);
        if (RecordValidator.Network(new KvEntry(key, RecordStore.Encode(candidate, DriverJsonContext.Default.NetworkRecord), 0, 0, null)).Invalid is { } refused)
            throw new InvalidRequestException($"this network cannot be shared with the other hosts (its record would be too large to store as shared state): {refused.Reason}; use fewer or shorter -o values");
        var vni = requestedVni ?? await _vnis.AllocateAsync(logicalId, ct).ConfigureAwait(false);
        if (requestedVni is not null)
            await _vnis.ReserveAsync(vni, logicalId, ct).ConfigureAwait(false);
        var record = new NetworkRecord(logicalId, null, vni, subnets, request.Internal, request.EnableIPv6, mtu,
            request.DriverOptions, _options.HostId, DateTimeOffset.UtcNow);
        bool created;
        Versioned<NetworkRecord>? raced;
        try
        {
            (created, raced) = await _cluster.CreateAsync(key, record, DriverJsonContext.Default.NetworkRecord, null, ct).ConfigureAwait(false);
        }
        catch
        {
            await _vnis.ReleaseAsync(vni, logicalId, CancellationToken.None).ConfigureAwait(false); // no record: the VNI must not stay taken
            throw;
        }
        if (created)
            return (record, true);
        await _vnis.ReleaseAsync(vni, logicalId, ct).ConfigureAwait(false);
        return (CheckCompatible(raced!.Value, subnets, requestedVni, requestedMulticast), false);
    }

    private static NetworkRecord CheckCompatible(NetworkRecord existing, IReadOnlyList<SubnetRecord> subnets, uint? requestedVni, bool? requestedMulticast)
    {
        if (requestedMulticast is { } multicast && multicast != MulticastOf(existing))
            throw new ConflictException($"logical network {existing.Id} has {DriverOptionNames.Multicast}={(MulticastOf(existing) ? "true" : "false")}; this host asked for {(multicast ? "true" : "false")}. Every host of a network floods alike");
        var have = existing.Subnets.Select(s => s.Pool).Order(StringComparer.Ordinal);
        var want = subnets.Select(s => s.Pool).Order(StringComparer.Ordinal);
        if (!have.SequenceEqual(want))
            throw new ConflictException($"logical network {existing.Id} has subnets {string.Join(",", existing.Subnets.Select(s => s.Pool))}; this host asked for {string.Join(",", subnets.Select(s => s.Pool))}. Use the same --subnet on every host");
        if (requestedVni is { } vni && vni != existing.Vni)
            throw new ConflictException($"logical network {existing.Id} uses VNI {existing.Vni}, not {vni}");
        return existing;
    }

    private async Task RemoveLogicalNetworkAsync(NetworkRecord record, CancellationToken ct)
    {
        await _cluster.DeleteAsync(ClusterKeys.Network(record.Id), ct).ConfigureAwait(false);
        await _vnis.ReleaseAsync(record.Vni, record.Id, ct).ConfigureAwait(false);
    }

    private static string LogicalIdOf(NetworkCreation request)
    {
        if (!request.DriverOptions.TryGetValue(DriverOptionNames.Network, out var id) || string.IsNullOrWhiteSpace(id))
            return request.DockerNetworkId;
        if (id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new InvalidRequestException($"-o {DriverOptionNames.Network}='{id}' must be 1-128 letters, digits, '-', '_' or '.'");
        return id;
    }

    private static uint? ParseVni(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue(DriverOptionNames.Vni, out var text))
            return null;
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var vni))
            throw new InvalidRequestException($"-o {DriverOptionNames.Vni}='{text}' is not a number between {VniAllocator.Min} and {VniAllocator.Max}");
        VniAllocator.Validate(vni);
        return vni;
    }

    /// <summary><c>-o dnp.multicast=true|false</c>; null when not given.</summary>
    private static bool? ParseMulticast(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue(DriverOptionNames.Multicast, out var text))
            return null;
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw new InvalidRequestException($"-o {DriverOptionNames.Multicast}='{text}' must be true or false"),
        };
    }

    /// <summary>The logical network's setting, as the creating host validated it (anything but "true" in a record is off).</summary>
    private static bool MulticastOf(NetworkRecord record) =>
        record.Options?.GetValueOrDefault(DriverOptionNames.Multicast) == "true";

    private static int? ParseMtu(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue(DriverOptionNames.Mtu, out var text))
            return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) || mtu is < 576 or > 65535)
            throw new InvalidRequestException($"-o {DriverOptionNames.Mtu}='{text}' must be a number between 576 and 65535");
        return mtu;
    }
}
