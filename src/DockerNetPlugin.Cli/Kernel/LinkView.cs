namespace DockerNetPlugin.Cli.Kernel;

/// <summary>An interface as <c>dnp links</c> shows it. <c>LinkIndex</c> is IFLA_LINK (a veth's peer index, in the peer's namespace).</summary>
internal sealed record LinkView(int Index, string Name, string? Kind, int Mtu, string? Mac, bool Up, string? Master, int? LinkIndex);

/// <summary>One end of a link: the namespace that holds it and the interface.</summary>
internal sealed record LinkEnd(NamespaceView Namespace, LinkView Link);

/// <summary>An interface with the index asked for, and its veth peer when the peer is in a namespace the CLI scanned.</summary>
internal sealed record LinkMatch(NamespaceView Namespace, LinkView Link, LinkEnd? Peer);

/// <summary>What <c>dnp links IFINDEX --json</c> prints.</summary>
internal sealed record LinksReport(int Index, IReadOnlyList<NamespaceView> Searched, IReadOnlyList<LinkMatch> Matches);
