using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerNetPlugin.Interop;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>Every constant and layout we hard-code, compared with what the C headers of this machine say.</summary>
public sealed class KernelHeaderTests
{
    private static readonly (string Expression, long Ours)[] Values =
    [
        ("NLMSG_HDRLEN", Nlm.NLMSG_HDRLEN), ("NLMSG_ERROR", Nlm.NLMSG_ERROR), ("NLMSG_DONE", Nlm.NLMSG_DONE),
        ("NLMSG_NOOP", Nlm.NLMSG_NOOP), ("NLMSG_OVERRUN", Nlm.NLMSG_OVERRUN),
        ("NLM_F_REQUEST", Nlm.NLM_F_REQUEST), ("NLM_F_MULTI", Nlm.NLM_F_MULTI), ("NLM_F_ACK", Nlm.NLM_F_ACK),
        ("NLM_F_DUMP_INTR", Nlm.NLM_F_DUMP_INTR), ("NLM_F_DUMP", Nlm.NLM_F_DUMP), ("NLM_F_REPLACE", Nlm.NLM_F_REPLACE),
        ("NLM_F_EXCL", Nlm.NLM_F_EXCL), ("NLM_F_CREATE", Nlm.NLM_F_CREATE), ("NLM_F_APPEND", Nlm.NLM_F_APPEND),
        ("NLM_F_CAPPED", Nlm.NLM_F_CAPPED), ("NLM_F_ACK_TLVS", Nlm.NLM_F_ACK_TLVS),
        ("NLMSGERR_ATTR_MSG", Nlm.NLMSGERR_ATTR_MSG), ("NLMSGERR_ATTR_OFFS", Nlm.NLMSGERR_ATTR_OFFS), ("RTNLGRP_NEIGH", Nlm.RTNLGRP_NEIGH),
        ("RTM_NEWLINK", Rtm.RTM_NEWLINK), ("RTM_DELLINK", Rtm.RTM_DELLINK), ("RTM_GETLINK", Rtm.RTM_GETLINK),
        ("RTM_NEWADDR", Rtm.RTM_NEWADDR), ("RTM_DELADDR", Rtm.RTM_DELADDR), ("RTM_GETADDR", Rtm.RTM_GETADDR),
        ("RTM_NEWROUTE", Rtm.RTM_NEWROUTE), ("RTM_DELROUTE", Rtm.RTM_DELROUTE), ("RTM_GETROUTE", Rtm.RTM_GETROUTE),
        ("RTM_NEWNEIGH", Rtm.RTM_NEWNEIGH), ("RTM_DELNEIGH", Rtm.RTM_DELNEIGH), ("RTM_GETNEIGH", Rtm.RTM_GETNEIGH),
        ("AF_UNSPEC", Af.AF_UNSPEC), ("AF_INET", Af.AF_INET), ("AF_BRIDGE", Af.AF_BRIDGE), ("AF_INET6", Af.AF_INET6), ("AF_PACKET", Af.AF_PACKET),
        ("sizeof(struct ifinfomsg)", Ifla.IfInfoMsgSize), ("IFLA_ADDRESS", Ifla.IFLA_ADDRESS), ("IFLA_IFNAME", Ifla.IFLA_IFNAME),
        ("IFLA_MTU", Ifla.IFLA_MTU), ("IFLA_LINK", Ifla.IFLA_LINK), ("IFLA_MASTER", Ifla.IFLA_MASTER), ("IFLA_OPERSTATE", Ifla.IFLA_OPERSTATE),
        ("IFLA_LINKINFO", Ifla.IFLA_LINKINFO), ("IFLA_NET_NS_FD", Ifla.IFLA_NET_NS_FD), ("IFLA_EXT_MASK", Ifla.IFLA_EXT_MASK),
        ("IFLA_LINK_NETNSID", Ifla.IFLA_LINK_NETNSID), ("IFLA_INFO_KIND", Ifla.IFLA_INFO_KIND), ("IFLA_INFO_DATA", Ifla.IFLA_INFO_DATA),
        ("VETH_INFO_PEER", Ifla.VETH_INFO_PEER), ("IFLA_VXLAN_ID", Ifla.IFLA_VXLAN_ID), ("IFLA_VXLAN_LINK", Ifla.IFLA_VXLAN_LINK),
        ("IFLA_VXLAN_LOCAL", Ifla.IFLA_VXLAN_LOCAL), ("IFLA_VXLAN_TTL", Ifla.IFLA_VXLAN_TTL), ("IFLA_VXLAN_LEARNING", Ifla.IFLA_VXLAN_LEARNING),
        ("IFLA_VXLAN_AGEING", Ifla.IFLA_VXLAN_AGEING), ("IFLA_VXLAN_PROXY", Ifla.IFLA_VXLAN_PROXY), ("IFLA_VXLAN_L2MISS", Ifla.IFLA_VXLAN_L2MISS),
        ("IFLA_VXLAN_L3MISS", Ifla.IFLA_VXLAN_L3MISS), ("IFLA_VXLAN_PORT", Ifla.IFLA_VXLAN_PORT), ("IFLA_VXLAN_LOCAL6", Ifla.IFLA_VXLAN_LOCAL6),
        ("IFLA_VXLAN_UDP_CSUM", Ifla.IFLA_VXLAN_UDP_CSUM), ("RTEXT_FILTER_VF", Ifla.RTEXT_FILTER_VF),
        ("RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS", Ifla.RTEXT_FILTER_VF_SKIP_STATS), ("IFF_UP", Ifla.IFF_UP), ("IFNAMSIZ - 1", Ifla.MaxNameLength),
        ("sizeof(struct ifaddrmsg)", Ifa.IfAddrMsgSize), ("IFA_ADDRESS", Ifa.IFA_ADDRESS), ("IFA_LOCAL", Ifa.IFA_LOCAL), ("IFA_F_NODAD", Ifa.IFA_F_NODAD),
        ("sizeof(struct rtmsg)", Rta.RtMsgSize), ("RTA_DST", Rta.RTA_DST), ("RTA_OIF", Rta.RTA_OIF), ("RTA_GATEWAY", Rta.RTA_GATEWAY),
        ("RTA_TABLE", Rta.RTA_TABLE), ("RT_TABLE_MAIN", Rta.RT_TABLE_MAIN), ("RTPROT_BOOT", Rta.RTPROT_BOOT),
        ("RT_SCOPE_NOWHERE", Rta.RT_SCOPE_NOWHERE), ("RTN_UNICAST", Rta.RTN_UNICAST),
        ("sizeof(struct ndmsg)", Nda.NdMsgSize), ("NDA_DST", Nda.NDA_DST), ("NDA_LLADDR", Nda.NDA_LLADDR), ("NDA_PORT", Nda.NDA_PORT),
        ("NDA_VNI", Nda.NDA_VNI), ("NDA_IFINDEX", Nda.NDA_IFINDEX), ("NDA_MASTER", Nda.NDA_MASTER),
        ("NTF_SELF", Ntf.NTF_SELF), ("NTF_MASTER", Ntf.NTF_MASTER), ("NUD_INCOMPLETE", Nud.NUD_INCOMPLETE), ("NUD_STALE", Nud.NUD_STALE),
        ("NUD_NOARP", Nud.NUD_NOARP), ("NUD_PERMANENT", Nud.NUD_PERMANENT),
        ("AF_NETLINK", Libc.AF_NETLINK), ("SOCK_RAW", Libc.SOCK_RAW), ("SOCK_CLOEXEC", Libc.SOCK_CLOEXEC), ("NETLINK_ROUTE", Libc.NETLINK_ROUTE),
        ("SOL_SOCKET", Libc.SOL_SOCKET), ("SO_SNDBUF", Libc.SO_SNDBUF), ("SO_RCVBUF", Libc.SO_RCVBUF), ("SO_RCVTIMEO", Libc.SO_RCVTIMEO),
        ("SO_RCVBUFFORCE", Libc.SO_RCVBUFFORCE), ("SOL_NETLINK", Libc.SOL_NETLINK), ("NETLINK_ADD_MEMBERSHIP", Libc.NETLINK_ADD_MEMBERSHIP),
        ("NETLINK_CAP_ACK", Libc.NETLINK_CAP_ACK), ("NETLINK_EXT_ACK", Libc.NETLINK_EXT_ACK), ("NETLINK_GET_STRICT_CHK", Libc.NETLINK_GET_STRICT_CHK),
        ("MSG_TRUNC", Libc.MSG_TRUNC), ("POLLIN", Libc.POLLIN), ("sizeof(struct sockaddr_nl)", 12), ("sizeof(struct timeval)", 16),
        ("CLONE_NEWNET", Libc.CLONE_NEWNET), ("MS_BIND", (long)Libc.MS_BIND), ("MS_REC", (long)Libc.MS_REC), ("MS_SHARED", (long)Libc.MS_SHARED),
        ("MNT_DETACH", Libc.MNT_DETACH), ("NSFS_MAGIC", Libc.NSFS_MAGIC), ("offsetof(struct statfs, f_type)", 0),
        ("sizeof(struct statfs) <= 256", 1), ("sizeof(struct stat) <= 256", 1), ("offsetof(struct stat, st_ino)", Libc.StatInodeOffset),
        ("O_RDONLY", Libc.O_RDONLY), ("O_CREAT", Libc.O_CREAT), ("O_EXCL", Libc.O_EXCL), ("O_DIRECTORY", Libc.O_DIRECTORY),
        ("O_CLOEXEC", Libc.O_CLOEXEC), ("LOCK_EX", Libc.LOCK_EX),
        ("NETLINK_NETFILTER", Libc.NETLINK_NETFILTER), ("NLA_F_NESTED", Nlm.NLA_F_NESTED),
        ("sizeof(struct nfgenmsg)", Nfnl.NfGenMsgSize), ("NFNETLINK_V0", Nfnl.NFNETLINK_V0), ("NFNL_SUBSYS_NFTABLES", Nfnl.NFNL_SUBSYS_NFTABLES),
        ("NFNL_MSG_BATCH_BEGIN", Nfnl.NFNL_MSG_BATCH_BEGIN), ("NFNL_MSG_BATCH_END", Nfnl.NFNL_MSG_BATCH_END), ("NFNL_BATCH_GENID", Nfnl.NFNL_BATCH_GENID),
        ("NFT_MSG_NEWTABLE", NftMsg.NFT_MSG_NEWTABLE), ("NFT_MSG_GETTABLE", NftMsg.NFT_MSG_GETTABLE), ("NFT_MSG_DELTABLE", NftMsg.NFT_MSG_DELTABLE),
        ("NFT_MSG_NEWCHAIN", NftMsg.NFT_MSG_NEWCHAIN), ("NFT_MSG_NEWRULE", NftMsg.NFT_MSG_NEWRULE), ("NFT_MSG_GETRULE", NftMsg.NFT_MSG_GETRULE),
        ("NFT_MSG_NEWSET", NftMsg.NFT_MSG_NEWSET), ("NFT_MSG_NEWSETELEM", NftMsg.NFT_MSG_NEWSETELEM), ("NFT_MSG_DELSETELEM", NftMsg.NFT_MSG_DELSETELEM),
        ("NFT_MSG_NEWGEN", NftMsg.NFT_MSG_NEWGEN), ("NFT_MSG_GETGEN", NftMsg.NFT_MSG_GETGEN),
        ("NFTA_TABLE_NAME", Nfta.NFTA_TABLE_NAME), ("NFTA_TABLE_FLAGS", Nfta.NFTA_TABLE_FLAGS), ("NFTA_TABLE_HANDLE", Nfta.NFTA_TABLE_HANDLE),
        ("NFTA_TABLE_USERDATA", Nfta.NFTA_TABLE_USERDATA), ("NFTA_CHAIN_TABLE", Nfta.NFTA_CHAIN_TABLE), ("NFTA_CHAIN_NAME", Nfta.NFTA_CHAIN_NAME),
        ("NFTA_CHAIN_HOOK", Nfta.NFTA_CHAIN_HOOK), ("NFTA_CHAIN_POLICY", Nfta.NFTA_CHAIN_POLICY), ("NFTA_CHAIN_TYPE", Nfta.NFTA_CHAIN_TYPE),
        ("NFTA_HOOK_HOOKNUM", Nfta.NFTA_HOOK_HOOKNUM), ("NFTA_HOOK_PRIORITY", Nfta.NFTA_HOOK_PRIORITY),
        ("NFTA_SET_TABLE", Nfta.NFTA_SET_TABLE), ("NFTA_SET_NAME", Nfta.NFTA_SET_NAME), ("NFTA_SET_FLAGS", Nfta.NFTA_SET_FLAGS),
        ("NFTA_SET_KEY_TYPE", Nfta.NFTA_SET_KEY_TYPE), ("NFTA_SET_KEY_LEN", Nfta.NFTA_SET_KEY_LEN), ("NFTA_SET_ID", Nfta.NFTA_SET_ID),
        ("NFTA_SET_USERDATA", Nfta.NFTA_SET_USERDATA), ("NFTA_SET_ELEM_LIST_TABLE", Nfta.NFTA_SET_ELEM_LIST_TABLE),
        ("NFTA_SET_ELEM_LIST_SET", Nfta.NFTA_SET_ELEM_LIST_SET), ("NFTA_SET_ELEM_LIST_ELEMENTS", Nfta.NFTA_SET_ELEM_LIST_ELEMENTS),
        ("NFTA_SET_ELEM_LIST_SET_ID", Nfta.NFTA_SET_ELEM_LIST_SET_ID), ("NFTA_SET_ELEM_KEY", Nfta.NFTA_SET_ELEM_KEY), ("NFTA_LIST_ELEM", Nfta.NFTA_LIST_ELEM),
        ("NFTA_DATA_VALUE", Nfta.NFTA_DATA_VALUE), ("NFTA_DATA_VERDICT", Nfta.NFTA_DATA_VERDICT), ("NFTA_VERDICT_CODE", Nfta.NFTA_VERDICT_CODE),
        ("NFTA_RULE_TABLE", Nfta.NFTA_RULE_TABLE), ("NFTA_RULE_CHAIN", Nfta.NFTA_RULE_CHAIN), ("NFTA_RULE_HANDLE", Nfta.NFTA_RULE_HANDLE),
        ("NFTA_RULE_EXPRESSIONS", Nfta.NFTA_RULE_EXPRESSIONS), ("NFTA_RULE_USERDATA", Nfta.NFTA_RULE_USERDATA),
        ("NFTA_EXPR_NAME", Nfta.NFTA_EXPR_NAME), ("NFTA_EXPR_DATA", Nfta.NFTA_EXPR_DATA), ("NFTA_META_DREG", Nfta.NFTA_META_DREG),
        ("NFTA_META_KEY", Nfta.NFTA_META_KEY), ("NFTA_CMP_SREG", Nfta.NFTA_CMP_SREG), ("NFTA_CMP_OP", Nfta.NFTA_CMP_OP), ("NFTA_CMP_DATA", Nfta.NFTA_CMP_DATA),
        ("NFTA_PAYLOAD_DREG", Nfta.NFTA_PAYLOAD_DREG), ("NFTA_PAYLOAD_BASE", Nfta.NFTA_PAYLOAD_BASE), ("NFTA_PAYLOAD_OFFSET", Nfta.NFTA_PAYLOAD_OFFSET),
        ("NFTA_PAYLOAD_LEN", Nfta.NFTA_PAYLOAD_LEN), ("NFTA_LOOKUP_SET", Nfta.NFTA_LOOKUP_SET), ("NFTA_LOOKUP_SREG", Nfta.NFTA_LOOKUP_SREG),
        ("NFTA_LOOKUP_SET_ID", Nfta.NFTA_LOOKUP_SET_ID), ("NFTA_LOOKUP_FLAGS", Nfta.NFTA_LOOKUP_FLAGS), ("NFTA_COUNTER_BYTES", Nfta.NFTA_COUNTER_BYTES),
        ("NFTA_COUNTER_PACKETS", Nfta.NFTA_COUNTER_PACKETS), ("NFTA_IMMEDIATE_DREG", Nfta.NFTA_IMMEDIATE_DREG), ("NFTA_IMMEDIATE_DATA", Nfta.NFTA_IMMEDIATE_DATA),
        ("NFTA_GEN_ID", Nfta.NFTA_GEN_ID), ("NFT_REG_VERDICT", Nft.NFT_REG_VERDICT), ("NFT_REG_1", Nft.NFT_REG_1), ("NFT_CMP_EQ", Nft.NFT_CMP_EQ),
        ("NFT_CMP_NEQ", Nft.NFT_CMP_NEQ), ("NFT_LOOKUP_F_INV", Nft.NFT_LOOKUP_F_INV), ("NFT_PAYLOAD_LL_HEADER", Nft.NFT_PAYLOAD_LL_HEADER),
        ("NFT_PAYLOAD_NETWORK_HEADER", Nft.NFT_PAYLOAD_NETWORK_HEADER), ("NFT_PAYLOAD_TRANSPORT_HEADER", Nft.NFT_PAYLOAD_TRANSPORT_HEADER),
        ("NFT_META_NFPROTO", Nft.NFT_META_NFPROTO), ("NFT_META_L4PROTO", Nft.NFT_META_L4PROTO), ("NF_DROP", Nft.NF_DROP), ("NF_ACCEPT", Nft.NF_ACCEPT),
        ("NF_INET_PRE_ROUTING", Nft.NF_INET_PRE_ROUTING), ("NF_INET_LOCAL_IN", Nft.NF_INET_LOCAL_IN), ("NFPROTO_UNSPEC", Nft.NFPROTO_UNSPEC),
        ("NFPROTO_INET", Nft.NFPROTO_INET), ("NFPROTO_IPV4", Nft.NFPROTO_IPV4), ("NFPROTO_IPV6", Nft.NFPROTO_IPV6), ("IPPROTO_UDP", Nft.IPPROTO_UDP),
        .. Enum.GetValues<Errno>().Select(e => (e.ToString(), (long)e)),
    ];

    [CompilerFact]
    public void Constants_ComparedWithCHeaders_AllEqual()
    {
        var headers = Run(Values.Select(v => v.Expression).ToList());

        var wrong = Values.Where(v => headers[v.Expression] != v.Ours)
            .Select(v => $"{v.Expression}: ours {v.Ours}, headers {headers[v.Expression]}").ToList();
        Assert.Empty(wrong);
    }

    private static Dictionary<string, long> Run(IReadOnlyList<string> expressions)
    {
        var source = new StringBuilder("""
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <stddef.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <poll.h>
            #include <sched.h>
            #include <sys/file.h>
            #include <sys/mount.h>
            #include <sys/socket.h>
            #include <sys/stat.h>
            #include <sys/statfs.h>
            #include <sys/time.h>
            #include <net/if.h>
            #include <netinet/in.h>
            #include <linux/magic.h>
            #include <linux/netlink.h>
            #include <linux/rtnetlink.h>
            #include <linux/if_link.h>
            #include <linux/if_addr.h>
            #include <linux/neighbour.h>
            #include <linux/veth.h>
            #include <linux/netfilter.h>
            #include <linux/netfilter/nfnetlink.h>
            #include <linux/netfilter/nf_tables.h>
            int main(void) {

            """);
        for (var i = 0; i < expressions.Count; i++)
        {
            source.Append(CultureInfo.InvariantCulture, $"  printf(\"{i} %lld\\n\", (long long)({expressions[i]}));\n");
        }

        source.Append("  return 0;\n}\n");
        var dir = Directory.CreateTempSubdirectory("dnpt-cc");
        try
        {
            var c = Path.Combine(dir.FullName, "constants.c");
            var exe = Path.Combine(dir.FullName, "constants");
            File.WriteAllText(c, source.ToString());
            Exec(CompilerFactAttribute.Compiler, "-o", exe, c);
            return Exec(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(p => expressions[int.Parse(p[0], CultureInfo.InvariantCulture)], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Exec(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error.Result}");
        return output;
    }
}
