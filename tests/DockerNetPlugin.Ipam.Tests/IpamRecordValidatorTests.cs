using System.Text;
using DockerNetPlugin.Ipam;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Ipam.Tests;

public sealed class IpamRecordValidatorTests
{
    private static readonly Cidr s_cidr = Cidr.Parse("10.30.0.0/24", "test");
    private const string Generation = "0a1b2c3d4e5f";

    private static KvEntry Entry(string key, string json) => new(key, Encoding.UTF8.GetBytes(json), 1, 1, null);

    private const string GoodPool =
        """{"addressSpace":"dnp-global","cidr":"10.30.0.0/24","subPool":"10.30.0.128/25","v6":false,"gateway":"10.30.0.1","network":"n1","holders":{"h1":1},"options":{},"generation":"0a1b2c3d4e5f","createdBy":"h1"}""";

    [Fact]
    public void Pool_WellFormed_IsValid()
    {
        var check = IpamRecordValidator.Pool(Entry(IpamKeys.Pool(s_cidr), GoodPool));

        Assert.True(check.IsValid, check.Invalid?.Reason);
    }

    [Theory]
    [InlineData("\"cidr\":\"10.30.0.0/24\"", "\"cidr\":\"10.31.0.0/24\"", "differs from the key")]
    [InlineData("\"generation\":\"0a1b2c3d4e5f\"", "\"generation\":\"../x\"", "generation")]
    [InlineData("\"holders\":{\"h1\":1},", "", "holders")]
    [InlineData("\"subPool\":\"10.30.0.128/25\"", "\"subPool\":\"10.99.0.0/25\"", "subPool")]
    [InlineData("\"gateway\":\"10.30.0.1\"", "\"gateway\":\"10.99.0.1\"", "gateway")]
    [InlineData("\"v6\":false", "\"v6\":true", "v6")]
    [InlineData("\"addressSpace\":\"dnp-global\",", "", "addressSpace")]
    public void Pool_Bad_IsInvalid(string good, string bad, string expected)
    {
        var check = IpamRecordValidator.Pool(Entry(IpamKeys.Pool(s_cidr), GoodPool.Replace(good, bad, StringComparison.Ordinal)));

        Assert.Contains(expected, check.Invalid!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("garbage")]
    public void Pool_Garbage_IsInvalid(string json)
    {
        Assert.False(IpamRecordValidator.Pool(Entry(IpamKeys.Pool(s_cidr), json)).IsValid);
    }

    [Fact]
    public void Pool_JunkKey_IsInvalid()
    {
        Assert.Contains("the key", IpamRecordValidator.Pool(Entry(IpamKeys.PoolsPrefix + "junk", GoodPool)).Invalid!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_ChecksEveryEntry()
    {
        Assert.True(IpamRecordValidator.Index(Entry(IpamKeys.Index, """{"cidrs":["10.30.0.0/24","fd00::/64"]}""")).IsValid);
        Assert.False(IpamRecordValidator.Index(Entry(IpamKeys.Index, """{"cidrs":["10.30.0.7/24"]}""")).IsValid);
        Assert.False(IpamRecordValidator.Index(Entry(IpamKeys.Index, """{"cidrs":[null]}""")).IsValid);
        Assert.False(IpamRecordValidator.Index(Entry(IpamKeys.Index, "{}")).IsValid);
    }

    [Fact]
    public void AddressKey_OnlyAddressesOfThePoolAndGeneration()
    {
        var key = IpamKeys.Address(s_cidr, Generation, IpNumber.From(System.Net.IPAddress.Parse("10.30.0.9")));

        Assert.Equal(IpNumber.From(System.Net.IPAddress.Parse("10.30.0.9")), IpamRecordValidator.AddressKey(key, s_cidr, Generation));
        Assert.Null(IpamRecordValidator.AddressKey(key, s_cidr, "otherGeneration"));
        Assert.Null(IpamRecordValidator.AddressKey(IpamKeys.AddressesPrefix(s_cidr, Generation) + "junk", s_cidr, Generation));
        Assert.Null(IpamRecordValidator.AddressKey(IpamKeys.AddressesPrefix(s_cidr, Generation) + "10_2e99_2e0_2e1", s_cidr, Generation));
        Assert.Null(IpamRecordValidator.AddressKey(IpamKeys.AddressesPrefix(s_cidr, Generation) + "_zz", s_cidr, Generation));
    }

    [Fact]
    public void Address_UnknownKindAndMissingOptions_AreTolerated_MissingHostIsNot()
    {
        var key = IpamKeys.Address(s_cidr, Generation, IpNumber.From(System.Net.IPAddress.Parse("10.30.0.9")));

        var check = IpamRecordValidator.Address(Entry(key, """{"kind":"anycast-v9","host":"h1","future":1}"""), s_cidr, Generation);
        Assert.Equal("anycast-v9", check.Value!.Record.Kind);
        Assert.Empty(check.Value.Record.Options);
        Assert.Contains("host", IpamRecordValidator.Address(Entry(key, """{"kind":"endpoint"}"""), s_cidr, Generation).Invalid!.Reason, StringComparison.Ordinal);
    }
}
