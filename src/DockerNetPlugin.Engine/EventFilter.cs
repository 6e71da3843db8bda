namespace DockerNetPlugin.Engine;

/// <summary>Which events <see cref="IDockerEngine.StreamEventsAsync"/> asks the daemon for.</summary>
/// <param name="Types">Event types, e.g. <c>network</c>; null for all.</param>
/// <param name="Actions">Actions, e.g. <c>create</c>; null for all.</param>
public sealed record EventFilter(IReadOnlyList<string>? Types = null, IReadOnlyList<string>? Actions = null)
{
    /// <summary>Network create, destroy, connect and disconnect.</summary>
    public static EventFilter NetworkLifecycle { get; } = new(["network"], ["create", "destroy", "connect", "disconnect"]);

    /// <summary>
    /// What changes the names a network answers: network connect and disconnect (also sent for every network when a
    /// container starts and stops) and destroy, container rename and destroy. The daemon ANDs the two keys, so this
    /// asks for exactly those pairs plus network destroy.
    /// </summary>
    public static EventFilter NameChanges { get; } = new(["container", "network"], ["connect", "disconnect", "rename", "destroy"]);

    /// <summary>The filter in the Engine's <c>map[string][]string</c> form.</summary>
    public Dictionary<string, string[]> ToFilters()
    {
        var filters = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Types is { Count: > 0 })
        {
            filters["type"] = [.. Types];
        }

        if (Actions is { Count: > 0 })
        {
            filters["event"] = [.. Actions];
        }

        return filters;
    }
}
