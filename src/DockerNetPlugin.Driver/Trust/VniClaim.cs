namespace DockerNetPlugin.Driver.Trust;

/// <summary>A decoded <c>vnis/&lt;n&gt;</c> entry: VNI <paramref name="Vni"/> belongs to logical network <paramref name="NetworkId"/>.</summary>
internal sealed record VniClaim(uint Vni, string NetworkId);
