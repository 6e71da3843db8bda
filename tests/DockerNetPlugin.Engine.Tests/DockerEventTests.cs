using System.Text.Json;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class DockerEventTests
{
    private static DockerEvent Parse(string line) => JsonSerializer.Deserialize(line, EngineJsonContext.Default.DockerEvent)!;

    [Fact]
    public void NetworkConnect_NamesNetworkAndContainer()
    {
        var ev = Parse("""{"Type":"network","Action":"connect","Actor":{"ID":"7d2c","Attributes":{"container":"4f1c","name":"shop_default","type":"dnp"}},"scope":"local","time":1765090000,"timeNano":1765090000123456789}""");

        Assert.Equal(("7d2c", "4f1c"), (ev.NetworkId, ev.ContainerId));
        Assert.Null(ev.ContainerName);
    }

    [Fact]
    public void ContainerRename_HasNewAndOldNameWithoutSlash()
    {
        var ev = Parse("""{"status":"rename","id":"4f1c","Type":"container","Action":"rename","Actor":{"ID":"4f1c","Attributes":{"image":"busybox","name":"web-new","oldName":"/web"}},"scope":"local","time":1765090001,"timeNano":1765090001000000000}""");

        Assert.Equal(("4f1c", "web-new", "web"), (ev.ContainerId, ev.ContainerName, ev.OldContainerName));
        Assert.Null(ev.NetworkId);
    }

    [Fact]
    public void ContainerDestroy_HasNoOldName()
    {
        var ev = Parse("""{"Type":"container","Action":"destroy","Actor":{"ID":"4f1c","Attributes":{"name":"web"}}}""");

        Assert.Equal(("4f1c", "web"), (ev.ContainerId, ev.ContainerName));
        Assert.Null(ev.OldContainerName);
    }
}
