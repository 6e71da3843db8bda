using DockerNetPlugin.Driver.Replication;

namespace DockerNetPlugin.Driver.Tests;

public sealed class ReplicationBoardTests
{
    [Fact]
    public void Set_ReportsChangesOnly_RetainForgetsGoneNetworks()
    {
        var board = new ReplicationBoard();
        Assert.True(board.Set(new ReplicationStatus("b", "beta", ReplicationStates.Pending, null)));
        Assert.False(board.Set(new ReplicationStatus("b", "beta", ReplicationStates.Pending, null)));
        Assert.True(board.Set(new ReplicationStatus("a", "alpha", ReplicationStates.Present, null)));

        Assert.Equal(["alpha", "beta"], board.Snapshot().Select(s => s.Name));
        board.Retain(new HashSet<string> { "a" });
        Assert.Equal(["a"], board.Snapshot().Select(s => s.LogicalId));
    }
}
