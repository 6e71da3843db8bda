using System.Text.Json.Serialization;

namespace DockerNetPlugin.Protocol;

/// <summary><c>POST /Plugin.Activate</c> (v1 plugins only; the request body is empty).</summary>
public sealed record ActivateResponse([property: JsonPropertyName("Implements")] IReadOnlyList<string> Implements);

/// <summary>The network driver's error shape: HTTP 200 with <c>{"Err": "..."}</c> (remote-api.md §1.5).</summary>
public sealed record NetworkErrorResponse([property: JsonPropertyName("Err")] string Err);

/// <summary>The IPAM driver's error shape: HTTP 200 with <c>{"Error": "..."}</c>; <c>Err</c> would count as success.</summary>
public sealed record IpamErrorResponse([property: JsonPropertyName("Error")] string Error);

/// <summary>The empty JSON object Docker needs as a success body (an empty body is a decode error).</summary>
public sealed record EmptyResponse;
