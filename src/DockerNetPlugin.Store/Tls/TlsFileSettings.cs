namespace DockerNetPlugin.Store.Tls;

/// <summary>
/// The PEM files of a TLS store connection and the names operators set them by (e.g. <c>CONSUL_CACERT</c>), so
/// every error can say which setting points at which file.
/// </summary>
internal sealed record TlsFileSettings(
    string? CaFile, string CaSetting,
    string? CertFile, string CertSetting,
    string? KeyFile, string KeySetting);
