using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Replication.Names;

/// <summary>
/// The published names against Docker's: a joined endpoint whose record in the store carries no names while Docker
/// names its container is <c>name-missing</c>; a record whose names differ from Docker's (a rename or alias change
/// that was missed, a record overwritten) is <c>name-stale</c>. Repair learns the names again and republishes the
/// record. Endpoints without a record are the reconciler's (<c>record-missing</c>).
/// </summary>
public sealed class NameDriftCheck(OverlayDriver driver, NameLearner learner) : IDriftCheck
{
    public const string NameMissing = "name-missing";
    public const string NameStale = "name-stale";

    public async Task CheckAsync(DriftLog drift, bool repair, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(drift);
        foreach (var endpoint in driver.JoinedEndpoints())
        {
            Driver.Model.EndpointNames? docker;
            Driver.Cluster.EndpointRecord? record;
            try
            {
                record = await driver.ReadEndpointRecordAsync(endpoint.LogicalId, endpoint.EndpointId, ct).ConfigureAwait(false);
                if (record is null)
                    continue;
                docker = await learner.DockerNamesAsync(endpoint.DockerNetworkId, endpoint.EndpointId, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DockerEngineException or HttpRequestException or IOException or StoreException)
            {
                drift.Note($"names not checked: {e.Message}");
                return;
            }
            if (docker is null)
                continue; // Docker does not list it (yet, or any more): the endpoint checks cover that
            var network = endpoint.DockerNetworkId[..Math.Min(12, endpoint.DockerNetworkId.Length)];
            var item = record.Names is null
                ? new DriftItem(network, NameMissing, docker.ContainerName, $"the record of {endpoint.IPv4 ?? endpoint.IPv6} carries no names; Docker names it {docker}; repair publishes them")
                : !Equals(record.Names, docker)
                    ? new DriftItem(network, NameStale, docker.ContainerName, $"the record of {endpoint.IPv4 ?? endpoint.IPv6} answers {record.Names}; Docker names it {docker}; repair republishes")
                    : null;
            if (item is not null && drift.Add(item, repair))
                await driver.SetEndpointNamesAsync(endpoint.DockerNetworkId, endpoint.EndpointId, docker, republish: true, ct).ConfigureAwait(false);
        }
    }
}
