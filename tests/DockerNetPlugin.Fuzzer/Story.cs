using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Where a network's lifecycle stands, in Docker's order (remote-api.md §2.12).</summary>
internal enum StoryPhase
{
    Pools,
    Gateways,
    Network,
    Live,
    Teardown,
    Done,
}

/// <summary>A pool this story holds: its ID and CIDR from the RequestPool reply, and its gateway once allocated.</summary>
internal sealed class StoryPool(string poolId, string cidr, bool v6)
{
    public string PoolId { get; } = poolId;
    public string Cidr { get; } = cidr;
    public bool V6 { get; } = v6;
    public string? Gateway { get; set; }
    public bool GatewayTried { get; set; }
    public bool Released { get; set; }
}

/// <summary>One endpoint of a story, from its address request to its release.</summary>
internal sealed class StoryEndpoint(string id)
{
    public string Id { get; } = id;
    public string? V4 { get; set; }
    public string? V6 { get; set; }
    public bool V4Tried { get; set; }
    public bool V6Tried { get; set; }
    public string Mac { get; set; } = string.Empty;
    public bool Created { get; set; }
    public bool CreateTried { get; set; }
    public bool Joined { get; set; }
    public bool Deleted { get; set; }
}

/// <summary>
/// One Docker network's life as Docker drives it: pools, gateways, CreateNetwork, endpoints coming and going,
/// then the teardown. A failed step moves the story to its teardown, as Docker rolls back.
/// </summary>
internal sealed class Story(string networkId, string v4Subnet, string? v6Subnet, string addressSpace, string? logicalName, bool edgy)
{
    public string NetworkId { get; } = networkId;
    public string V4Subnet { get; } = v4Subnet;
    public string? V6Subnet { get; } = v6Subnet;
    public string AddressSpace { get; } = addressSpace;
    public string? LogicalName { get; } = logicalName;

    /// <summary>Edge values (borderline subnets, options, MACs) instead of Docker's usual ones.</summary>
    public bool Edgy { get; } = edgy;

    public StoryPhase Phase { get; set; } = StoryPhase.Pools;
    public StoryPool? V4 { get; set; }
    public StoryPool? V6 { get; set; }
    public bool V6Tried { get; set; }
    public bool NetworkCreated { get; set; }
    public bool NetworkDeleted { get; set; }
    public JsonObject? GenericOptions { get; set; }
    public List<StoryEndpoint> Endpoints { get; } = [];
    public int LiveSteps { get; set; }
    public int LiveBudget { get; set; }

    /// <summary>Teardown deletes the network before releasing its pools (Docker releases the pools first).</summary>
    public bool NetworkBeforeIpam { get; set; }

    public IEnumerable<StoryPool> Pools => new[] { V4, V6 }.OfType<StoryPool>();
}
