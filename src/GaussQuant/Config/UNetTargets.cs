using GaussQuant.Models;

namespace GaussQuant.Config;

/// <summary>Maps the params of <c>pit.modules.unet.Encoder</c> / <c>Decoder</c> onto <see cref="UNetOptions"/>.</summary>
internal static class UNetTargets
{
    private const int GroupNormGroups = 32;

    public static UNetOptions ReadEncoder(ConfigSection parameters) => Read(parameters, isDecoder: false);

    public static UNetOptions ReadDecoder(ConfigSection parameters) => Read(parameters, isDecoder: true);

    private static UNetOptions Read(ConfigSection p, bool isDecoder)
    {
        var options = new UNetOptions
        {
            Channels = p.Int("ch"),
            OutChannels = p.Int("out_ch"),
            ChannelMultipliers = p.IntList("ch_mult") ?? [1, 2, 4, 8],
            ResBlocksPerLevel = p.Int("num_res_blocks"),
            AttentionResolutions = p.IntList("attn_resolutions") ?? throw p.Error("attn_resolutions", "missing (give [] for no attention)"),
            Dropout = p.Double("dropout", 0.0),
            InChannels = p.Int("in_channels"),
            Resolution = p.Int("resolution"),
            LatentChannels = p.Int("z_channels"),
            // The decoder receives the encoder's params by interpolation; double_z means nothing to it.
            DoubleLatent = isDecoder || p.Bool("double_z", true),
            AttentionType = ReadAttentionType(p),
        };
        p.Require(p.Bool("resamp_with_conv", true), "resamp_with_conv", "only strided-convolution resampling (true) is supported");
        p.Require(p.String("padding_mode", "zeros") == "zeros", "padding_mode", "only 'zeros' padding is supported");
        if (isDecoder)
        {
            p.Ignore("double_z");
            p.Require(!p.Bool("give_pre_end", false), "give_pre_end", "only false is supported");
            p.Require(!p.Bool("tanh_out", false), "tanh_out", "only false is supported");
        }
        p.RejectUnknown();
        Validate(p, options);
        return options;
    }

    /// <summary><c>vanilla</c> and its memory-efficient (xformers) variant compute the same attention with the same weights.</summary>
    private static string ReadAttentionType(ConfigSection p) => p.String("attn_type", "vanilla") switch
    {
        "vanilla" or "vanilla-xformers" => "vanilla",
        "none" => "none",
        var other => throw p.Error("attn_type", $"'{other}' is not supported (use vanilla or none)"),
    };

    private static void Validate(ConfigSection p, UNetOptions options)
    {
        p.Require(options.Channels > 0, "ch", "must be positive");
        p.Require(options.ChannelMultipliers.Count > 0 && options.ChannelMultipliers.All(m => m > 0), "ch_mult", "must be a non-empty list of positive integers");
        p.Require(options.ChannelMultipliers.Count <= UNetOptions.MaxLevels, "ch_mult",
            $"has {options.ChannelMultipliers.Count} levels; at most {UNetOptions.MaxLevels} are supported");
        p.Require(options.ChannelMultipliers.All(m => (long)options.Channels * m % GroupNormGroups == 0), "ch_mult",
            $"every ch × ch_mult must be a multiple of {GroupNormGroups} (GroupNorm uses {GroupNormGroups} groups)");
        p.Require(options.ResBlocksPerLevel > 0, "num_res_blocks", "must be positive");
        p.Require(options.AttentionResolutions.All(resolution => resolution > 0), "attn_resolutions", "must hold positive resolutions");
        p.Require(options.Dropout is >= 0 and < 1, "dropout", "must be in [0, 1)");
        p.Require(options.InChannels > 0, "in_channels", "must be positive");
        p.Require(options.OutChannels > 0, "out_ch", "must be positive");
        p.Require(options.LatentChannels > 0, "z_channels", "must be positive");
        p.Require(options.Resolution > 0, "resolution", "must be positive");
    }
}
