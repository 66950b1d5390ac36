using GaussQuant.Nn;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The authors' SD3-style UNet decoder (<c>pit.modules.unet.Decoder</c>): latent (B, c, h, w) → image
/// (B, out, h·f, w·f), no output clamp or tanh. Levels are stored by resolution (<c>up.0</c> is the finest) and run from
/// the coarsest to <c>up.0</c>; each has one more ResnetBlock than an encoder level. Parameter names equal the authors'
/// keys under <c>decoder.</c>.
/// </summary>
public sealed class Decoder : DecoderBackbone
{
    [ComponentName(Name = "conv_in")]
    private readonly Conv2d inputConv;
    [ComponentName(Name = "mid")]
    private readonly MidBlock mid;
    [ComponentName(Name = "up")]
    private readonly ModuleList<ResolutionLevel> levels;
    [ComponentName(Name = "norm_out")]
    private readonly GroupNorm outputNorm;
    [ComponentName(Name = "conv_out")]
    private readonly Conv2d outputConv;

    /// <exception cref="ArgumentException">when the options cannot build a network (see <see cref="UNetOptions.Validate"/>).</exception>
    public Decoder(UNetOptions options, Device? device = null) : base(nameof(Decoder))
    {
        options.Validate();
        Options = options;
        var multipliers = options.ChannelMultipliers;
        long channels = (long)options.Channels * multipliers[^1];
        int nominalResolution = options.Resolution / options.DownsamplingFactor;
        inputConv = nn.Conv2d(options.LatentChannels, channels, kernel_size: 3, padding: 1, device: device);
        mid = new MidBlock(channels, options.Dropout, device);

        var coarsestFirst = new List<ResolutionLevel>();
        for (int level = multipliers.Count - 1; level >= 0; level--)
        {
            long levelChannels = (long)options.Channels * multipliers[level];
            coarsestFirst.Add(new ResolutionLevel(channels, levelChannels, options.ResBlocksPerLevel + 1,
                options.HasAttentionAt(nominalResolution), options.Dropout,
                level == 0 ? Resampling.None : Resampling.Up, device));
            channels = levelChannels;
            nominalResolution *= 2;
        }
        coarsestFirst.Reverse();
        levels = nn.ModuleList(coarsestFirst.ToArray());
        outputNorm = Normalize.Create(channels, device);
        outputConv = nn.Conv2d(channels, options.OutChannels, kernel_size: 3, padding: 1, device: device);
        RegisterComponents();
    }

    public override UNetOptions Options { get; }

    /// <summary>The last convolution's weight (<c>conv_out.weight</c>): the reference's <c>get_last_layer()</c>, used by the adaptive GAN weight.</summary>
    public override Parameter LastLayerWeight => outputConv.weight!;

    /// <exception cref="ArgumentException">when the latent is not (B, c, h, w).</exception>
    /// <exception cref="InvalidDataException">when an inference pass would need more activation memory than <see cref="IO.ResourceLimits"/> allow.</exception>
    public override Tensor forward(Tensor input)
    {
        FeatureMaps.Require(input, Options.LatentChannels, 1, nameof(Decoder));
        int factor = Options.DownsamplingFactor;
        // Inference only: a training batch is the user's choice, and autograd keeps several times the estimate anyway.
        if (!is_grad_enabled()) ActivationMemory.Require(Options, input.shape[0], input.shape[2] * factor, input.shape[3] * factor, nameof(Decoder));
        using var scope = NewDisposeScope();
        var hidden = inputConv.call(input);
        hidden = FeatureMapChain.Advance(hidden, mid.call(hidden), input);
        for (int level = levels.Count - 1; level >= 0; level--) hidden = FeatureMapChain.Advance(hidden, levels[level].call(hidden), input);
        hidden = FeatureMapChain.Advance(hidden, FeatureMapChain.Activate(outputNorm.call(hidden), input), input);
        return scope.MoveToOuter(outputConv.call(hidden));
    }
}
