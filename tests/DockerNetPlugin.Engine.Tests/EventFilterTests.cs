using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class EventFilterTests
{
    [Fact]
    public void NameChanges_AsksForContainerAndNetworkTypesAndTheFourActions()
    {
        var filters = EventFilter.NameChanges.ToFilters();

        Assert.Equal(["container", "network"], filters["type"]);
        Assert.Equal(["connect", "disconnect", "rename", "destroy"], filters["event"]);
    }
}
