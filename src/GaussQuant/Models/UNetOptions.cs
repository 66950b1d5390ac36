using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// Shape of the SD3-style UNet encoder and decoder (the authors' <c>pit.modules.unet.Encoder/Decoder</c>
/// params). The decoder reuses the encoder's options; <see cref="DoubleLatent"/> only affects the encoder.
/// Defaults are the authors' 256×256, f = 8 configuration.
/// </summary>
public sealed record UNetOptions : BackboneOptions
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

    /// <summary><c>vanilla</c> (single-head softmax attention) or <c>none</c>.</summary>
    public string AttentionType { get; init; } = "vanilla";

    /// <summary>The most levels (<c>ch_mult</c> entries) a network may have: a downsampling factor of 2^15.</summary>
    public const int MaxLevels = 16;

    public override int DownsamplingFactor => 1 << (ChannelMultipliers.Count - 1);

    public override string Architecture => "UNet";

    public override int NominalImageSize => Resolution;

    public override LatentLayout Layout => LatentLayout.Bchw;

    public override string Summary =>
        $"ch {Channels}, ch_mult [{string.Join(", ", ChannelMultipliers)}], {ResBlocksPerLevel} res block{(ResBlocksPerLevel == 1 ? "" : "s")} per level, " +
        $"downsampling ×{DownsamplingFactor}";

    public override double ActivationBytesPerImage(double height, double width) => UNetActivations.PerImage(this, height, width);

    public override double EncoderParameters() => ModelSize.EncoderParameters(this);

    public override double DecoderParameters() => ModelSize.DecoderParameters(this);

    public override EncoderBackbone CreateEncoder(Device? device = null) => new Encoder(this, device);

    public override DecoderBackbone CreateDecoder(Device? device = null) => new Decoder(this, device);

    /// <summary>Whether the level at this nominal resolution gets an attention block after each ResnetBlock.</summary>
    public bool HasAttentionAt(int nominalResolution) =>
        AttentionType == "vanilla" && AttentionResolutions.Contains(nominalResolution);

    /// <exception cref="ArgumentException">naming the first option that cannot build a network.</exception>
    public override void Validate()
    {
        if (ChannelMultipliers is null || ChannelMultipliers.Count == 0)
            throw new ArgumentException("ChannelMultipliers (ch_mult) must name at least one level");
        if (ChannelMultipliers.Count > MaxLevels)
            throw new ArgumentException($"ChannelMultipliers (ch_mult) has {ChannelMultipliers.Count} levels; at most {MaxLevels} are supported");
        if (ChannelMultipliers.Any(multiplier => multiplier <= 0))
            throw new ArgumentException($"ChannelMultipliers (ch_mult) must be positive, got [{string.Join(", ", ChannelMultipliers)}]");
        // Every layer width is Channels × a multiplier, so this makes all of them fit GroupNorm's groups.
        if (Channels <= 0 || Channels % Nn.Normalize.Groups != 0)
            throw new ArgumentException($"Channels (ch) must be a positive multiple of {Nn.Normalize.Groups} for GroupNorm, got {Channels}");
        if (ResBlocksPerLevel < 1)
            throw new ArgumentException($"ResBlocksPerLevel (num_res_blocks) must be at least 1, got {ResBlocksPerLevel}");
        if (AttentionResolutions is null)
            throw new ArgumentException("AttentionResolutions (attn_resolutions) must be a list (empty for none)");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}");
        if (Resolution <= 0)
            throw new ArgumentException($"Resolution must be positive, got {Resolution}");
        if (InChannels <= 0 || OutChannels <= 0 || LatentChannels <= 0)
            throw new ArgumentException(
                $"InChannels, OutChannels (out_ch) and LatentChannels (z_channels) must be positive, got {InChannels}, {OutChannels}, {LatentChannels}");
        if (AttentionType is not ("vanilla" or "none"))
            throw new ArgumentException($"AttentionType (attn_type) '{AttentionType}' is not supported; use 'vanilla' or 'none'");
    }
}
