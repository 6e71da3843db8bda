namespace DockerNetPlugin.Ipam;

/// <summary>Why an address is taken.</summary>
public enum AddressKind
{
    /// <summary>The pool's gateway: one per pool, shared by every host, freed only with the pool.</summary>
    Gateway,

    /// <summary>An <c>--aux-address</c>: shared by every host that has the network, freed only with the pool.</summary>
    Aux,

    /// <summary>A container endpoint's address, owned by one host.</summary>
    Endpoint,
}
