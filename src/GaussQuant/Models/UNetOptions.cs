namespace GaussQuant.Models;

/// <summary>
/// Shape of the SD3-style UNet encoder and decoder (the authors' <c>pit.modules.unet.Encoder/Decoder</c>
/// params). The decoder reuses the encoder's options; <see cref="DoubleLatent"/> only affects the encoder.
/// Defaults are the authors' 256×256, f = 8 configuration.
/// </summary>
public sealed record UNetOptions
{
    /// <summary>Base channel count (<c>ch</c>).</summary>
    public int Channels { get; init; } = 128;

    /// <summary>Per-level channel multipliers (<c>ch_mult</c>); the downsampling factor is 2^(levels − 1).</summary>
    public IReadOnlyList<int> ChannelMultipliers { get; init; } = [1, 2, 4, 4];

    /// <summary>ResnetBlocks per encoder level (<c>num_res_blocks</c>); decoder levels have one more.</summary>
    public int ResBlocksPerLevel { get; init; } = 2;

    /// <summary>Nominal resolutions at which attention follows every block (<c>attn_resolutions</c>).</summary>
    public IReadOnlyList<int> AttentionResolutions { get; init; } = [32];

    public double Dropout { get; init; }

    /// <summary>Nominal input resolution; decides attention placement only (the network is fully convolutional).</summary>
    public int Resolution { get; init; } = 256;

    public int InChannels { get; init; } = 3;

    /// <summary>Image channels produced by the decoder (<c>out_ch</c>).</summary>
    public int OutChannels { get; init; } = 3;

    /// <summary>Latent channels c (<c>z_channels</c>).</summary>
    public int LatentChannels { get; init; } = 16;

    /// <summary>Encoder outputs mean and log-variance (2c channels) when true (<c>double_z</c>).</summary>
    public bool DoubleLatent { get; init; } = true;

    /// <summary><c>vanilla</c> (single-head softmax attention) or <c>none</c>.</summary>
    public string AttentionType { get; init; } = "vanilla";

    public int DownsamplingFactor => 1 << (ChannelMultipliers.Count - 1);
}
