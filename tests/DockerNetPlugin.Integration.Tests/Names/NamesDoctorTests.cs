using System.Text.Json;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// A published name record that another writer stripped of its names or made to name someone else: its owner puts
/// its own record back at once (the record restorer), the other hosts answer the right name again and <c>dnp doctor</c>
/// has no name drift left to report. (Name drift in the owner's own state, <c>name-missing</c> and <c>name-stale</c>,
/// is found and repaired from Docker's view: unit tests of the names learner.)
/// </summary>
[Collection(NamesCollection.Name)]
public sealed class NamesDoctorTests(NamesBedFixture fixture)
{
    [Fact]
    public async Task NamesStrippedOrChangedByAnotherWriter_PutBackByTheOwner_DoctorFindsNothingLeft()
    {
        var h1 = new NameScenario(fixture.Bed.Hosts[0]);
        var h2 = new NameScenario(fixture.Bed.Hosts[1]);
        await h1.Docker.CreateNetworkAsync("clinic", "--subnet", "10.53.10.0/24");
        try
        {
            await h2.Docker.AssertNetworkAppearsAsync("clinic", TimeSpan.FromSeconds(30));
            await h1.Docker.RunAsync("patient", "clinic");
            await h2.Docker.RunAsync("nurse", "clinic");
            var ip = await h1.Docker.IpOfAsync("patient", "clinic");
            Assert.Equal([ip], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("nurse", "patient"), [ip], TimeSpan.FromSeconds(5)));
            Assert.Empty(await DriftAsync(h1, repair: false));

            // Another writer strips the names from the record (as an older release rewriting it would): its owner puts its
            // own record back at once (the record restorer), so h2 keeps or gets back the name, and nothing is left to repair.
            var (key, record) = await RecordOfAsync(ip);
            record.Remove("names");
            await PutAsync(key, record);
            Assert.Equal([ip], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("nurse", "patient"), [ip], TimeSpan.FromSeconds(5)));
            Assert.Empty(await DriftAsync(h1, repair: false));

            // The record is made to name someone else: put back as well; the impostor's name goes, Docker's stays.
            (key, record) = await RecordOfAsync(ip);
            record["names"]!["containerName"] = "impostor";
            await PutAsync(key, record);
            Assert.Empty(await NameScenario.EventuallyAsync(() => h2.DigShortAsync("nurse", "impostor"), [], TimeSpan.FromSeconds(5)));
            Assert.Equal([ip], await h2.DigShortAsync("nurse", "patient"));
            Assert.Empty(await DriftAsync(h1, repair: false));
        }
        finally
        {
            await h1.Docker.RemoveAsync(["patient"]);
            await h2.Docker.RemoveAsync(["nurse"], "clinic");
        }
    }

    private sealed record Drift(string Kind, string Object);

    /// <summary>The name drift <c>dnp doctor [--repair] --json</c> reports as found.</summary>
    private static async Task<List<Drift>> DriftAsync(NameScenario host, bool repair)
    {
        string[] args = repair ? ["doctor", "--repair", "--json"] : ["doctor", "--json"];
        var result = await host.Host.ExecAsync([PluginBinary.Path, .. args], CancellationToken.None, TimeSpan.FromSeconds(60));
        using var report = JsonDocument.Parse(result.StdOut);
        return report.RootElement.GetProperty("found").EnumerateArray()
            .Select(d => new Drift(d.GetProperty("kind").GetString()!, d.GetProperty("object").GetString()!))
            .Where(d => d.Kind.StartsWith("name-", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The endpoint record of address <paramref name="ip"/> in etcd (key and JSON).</summary>
    private async Task<(string Key, JsonObject Record)> RecordOfAsync(string ip)
    {
        var lines = (await fixture.Bed.Etcd!.EtcdctlAsync("get", "--prefix", StoreKeys.Root)).EnsureSuccess().StdOut.Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (StoreKeys.IsEndpoint(lines[i]) && lines[i + 1].Contains($"\"{ip}/", StringComparison.Ordinal))
                return (lines[i].Trim(), JsonNode.Parse(lines[i + 1])!.AsObject());
        }
        throw new InvalidOperationException($"no endpoint record for {ip} in etcd");
    }

    private async Task PutAsync(string key, JsonObject record) =>
        (await fixture.Bed.Etcd!.EtcdctlAsync("put", key, record.ToJsonString())).EnsureSuccess();
}
