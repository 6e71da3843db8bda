namespace DockerNetPlugin.Driver.Liveness;

/// <summary>How this host sees another host (what <c>dnp peers</c> and <c>dnp networks</c> show).</summary>
public static class HostStates
{
    /// <summary>Its lease is current.</summary>
    public const string Live = "live";

    /// <summary>Its lease lapsed but it answers on the underlay: its entries stay as they are.</summary>
    public const string StoreUnreachable = "store-unreachable";

    /// <summary>Its lease lapsed and it has not answered yet: its entries go after a few unanswered probes.</summary>
    public const string Unanswered = "unanswered";

    /// <summary>Neither a lease nor entries here.</summary>
    public const string Down = "down";
}
