using System.Globalization;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Valid-shaped requests: a few networks per worker live through Docker's lifecycle (<see cref="Story"/>), with
/// repeats, out-of-order calls, unknown IDs, empty-body retries and the calls that only acknowledge mixed in.
/// It learns pool IDs and addresses from the replies, so a run is reproducible from its seed.
/// </summary>
internal sealed partial class StructuredGenerator
{
    private const int MaxStories = 3;
    private readonly int _worker;
    private readonly Random _rng;
    private readonly SubnetPlan _subnets;
    private readonly List<Story> _stories = [];
    private FuzzRequest? _last;
    private int _logicalNames;

    public StructuredGenerator(int worker, Random rng)
    {
        _worker = worker;
        _rng = rng;
        _subnets = new SubnetPlan(worker);
    }

    public FuzzRequest Next()
    {
        _stories.RemoveAll(s => s.Phase == StoryPhase.Done);
        var request = _rng.NextDouble() switch
        {
            < 0.06 when _last is not null => _last with { Note = "repeat: " + _last.Note, OnReply = null },
            < 0.11 => UnknownIds(),
            < 0.16 => Constant(),
            < 0.19 => EmptyBodyRetry(),
            < 0.26 when _stories.Count > 0 => OutOfOrder(_rng.Pick(_stories)),
            _ => Advance(),
        };
        _last = request;
        return request;
    }

    private FuzzRequest Advance()
    {
        if (_stories.Count == 0 || (_stories.Count < MaxStories && _rng.Chance(0.25)))
            _stories.Add(NewStory());
        return Step(_rng.Pick(_stories));
    }

    private Story NewStory()
    {
        var edgy = _rng.Chance(0.15);
        var (v4, v6) = _subnets.Next();
        var networkId = edgy && _rng.Chance(0.3) ? EdgeValues.EdgeId(_rng) : EdgeValues.DockerId(_rng);
        var space = edgy && _rng.Chance(0.2) ? _rng.Pick(EdgeValues.EdgeAddressSpaces) : _rng.Pick(EdgeValues.AddressSpaces);
        string? logical = _rng.Chance(0.15) ? LogicalName() : null;
        var story = new Story(networkId, edgy && _rng.Chance(0.5) ? _subnets.EdgeV4(_rng, v4) : v4,
            _rng.Chance(0.2) ? (edgy && _rng.Chance(0.5) ? SubnetPlan.EdgeV6(_rng, v6) : v6) : null, space, logical, edgy);
        story.GenericOptions = GenericOptions(story);
        story.NetworkBeforeIpam = _rng.Chance(0.5);
        return story;
    }

    /// <summary>A <c>dnp.network</c> name as users pick them: readable, often sharing a long prefix with the others.</summary>
    private string LogicalName()
    {
        var n = _logicalNames++;
        return _rng.Next(5) switch
        {
            0 or 4 => string.Create(CultureInfo.InvariantCulture, $"fuzz{_worker}-logical-net-{n}"),
            1 => string.Create(CultureInfo.InvariantCulture, $"w{_worker}.Net_{n}"),
            2 => string.Create(CultureInfo.InvariantCulture, $"w{_worker}net{n}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"w{_worker}-{_rng.Alnum(120)}"),
        };
    }

    private JsonObject GenericOptions(Story story)
    {
        var generic = new JsonObject();
        if (story.LogicalName is { } logical)
            generic["dnp.network"] = logical;
        if (story.Edgy)
        {
            switch (_rng.Next(7))
            {
                case 6: generic["user.option"] = new string('o', _rng.Pick([1000, 300_000, 600_000])); break; // -o k=<huge>
                case 0: generic["dnp.vni"] = _rng.Pick(EdgeValues.EdgeVnis); break;
                case 1: generic["com.docker.network.driver.mtu"] = _rng.Pick(EdgeValues.EdgeMtus); break;
                case 2: generic["com.docker.network.driver.mtu"] = 1400; break;
                case 3: generic["dnp.vni"] = 4096 + _rng.Next(16_000_000); break;
                case 4: generic["unknown.option"] = new JsonArray(1, 2); break;
                default: generic["dnp.network"] = EdgeValues.EdgeId(_rng); break;
            }
        }
        else if (_rng.Chance(0.1))
        {
            generic["dnp.vni"] = (4096 + _rng.Next(16_000_000)).ToString(CultureInfo.InvariantCulture);
        }
        return generic;
    }

    private FuzzRequest Request(string path, JsonNode? body, string note, Action<Verdict>? onReply = null) =>
        new(path, RequestBodies.Bytes(body), RequestOrigin.Structured, note) { OnReply = onReply };

    /// <summary>Calls that only acknowledge or describe the plugin; Docker sends some with an empty body.</summary>
    private FuzzRequest Constant()
    {
        var fresh = EdgeValues.DockerId(_rng);
        return _rng.Next(9) switch
        {
            0 => Request(PluginApi.Activate, null, "activate"),
            1 => Request(PluginApi.NetCapabilities, null, "capabilities"),
            2 => Request(PluginApi.IpamCapabilities, _rng.Chance(0.3) ? new JsonObject() : null, "ipam capabilities"),
            3 => Request(PluginApi.AddressSpaces, null, "address spaces"),
            4 => Request(PluginApi.GwAllocCheck, RequestBodies.GwAllocCheck(RequestBodies.NetworkOptions(new JsonObject(), null, _rng.Chance(0.5))), "gw alloc check"),
            5 => Request(PluginApi.AllocateNetwork, RequestBodies.AllocateNetwork(fresh, new JsonObject { ["dnp.vni"] = "5000" }), "allocate network"),
            6 => Request(PluginApi.FreeNetwork, RequestBodies.NetworkOnly(fresh), "free network"),
            7 => Request(PluginApi.DiscoverNew, RequestBodies.Discovery(1 + _rng.Next(3), "192.168.77." + _rng.Next(256).ToString(CultureInfo.InvariantCulture)), "discover new"),
            _ => Request(PluginApi.DiscoverDelete, RequestBodies.Discovery(1, "192.168.77.12"), "discover delete"),
        };
    }

    /// <summary>A call Docker may retry after a transport error: the retry goes out with an empty body.</summary>
    private FuzzRequest EmptyBodyRetry()
    {
        string[] paths = [PluginApi.Leave, PluginApi.DeleteEndpoint, PluginApi.DeleteNetwork, PluginApi.ReleaseAddress, PluginApi.ReleasePool,
            PluginApi.FreeNetwork, PluginApi.CreateNetwork, PluginApi.CreateEndpoint, PluginApi.Join, PluginApi.RequestPool, PluginApi.RequestAddress];
        var path = _rng.Pick(paths);
        return new FuzzRequest(path, _rng.Chance(0.5) ? [] : "\n"u8.ToArray(), RequestOrigin.Structured, "empty-body retry");
    }

    /// <summary>IDs no one created: teardown calls succeed, the others fail clearly.</summary>
    private FuzzRequest UnknownIds()
    {
        var network = _rng.Chance(0.7) ? EdgeValues.DockerId(_rng) : EdgeValues.EdgeId(_rng);
        if (_stories.Count > 0 && _rng.Chance(0.4))
            network = _rng.Pick(_stories).NetworkId; // a known network, an unknown endpoint
        var endpoint = _rng.Chance(0.8) ? EdgeValues.DockerId(_rng) : EdgeValues.EdgeId(_rng);
        var pool = _rng.Next(4) switch
        {
            0 => "dnp-local/10.250." + _rng.Next(256).ToString(CultureInfo.InvariantCulture) + ".0/24",
            1 => EdgeValues.EdgeId(_rng),
            2 => "dnp-global/fd00:dead::/64",
            _ => "LocalDefault/10.1.0.0/16",
        };
        return _rng.Next(10) switch
        {
            0 => Request(PluginApi.Join, RequestBodies.Join(network, endpoint, _rng.Pick(EdgeValues.SandboxKeys(_rng))), "join unknown"),
            1 => Request(PluginApi.CreateEndpoint, RequestBodies.CreateEndpoint(network, endpoint, "10.250.0.2/24", string.Empty, string.Empty), "create endpoint on unknown"),
            2 => Request(PluginApi.Leave, RequestBodies.Endpoint(network, endpoint), "leave unknown"),
            3 => Request(PluginApi.DeleteEndpoint, RequestBodies.Endpoint(network, endpoint), "delete unknown endpoint"),
            4 => Request(PluginApi.DeleteNetwork, RequestBodies.NetworkOnly(network), "delete unknown network"),
            5 => Request(PluginApi.EndpointOperInfo, RequestBodies.Endpoint(network, endpoint), "oper info unknown"),
            6 => Request(PluginApi.RevokeExternal, RequestBodies.Endpoint(network, endpoint), "revoke unknown"),
            7 => Request(PluginApi.RequestAddress, RequestBodies.RequestAddress(pool, string.Empty, new JsonObject()), "address from unknown pool"),
            8 => Request(PluginApi.ReleaseAddress, RequestBodies.ReleaseAddress(pool, "10.250.0.9"), "release address of unknown pool"),
            _ => Request(PluginApi.ReleasePool, RequestBodies.ReleasePool(pool), "release unknown pool"),
        };
    }
}
