using GaussQuant.Nn;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The authors' SD3-style UNet encoder (<c>pit.modules.unet.Encoder</c>): image (B, in, H, W) → moments
/// (B, 2c or c, H/f, W/f) with f = <see cref="UNetOptions.DownsamplingFactor"/>; with <see cref="UNetOptions.DoubleLatent"/>
/// channels [0, c) are the mean and [c, 2c) the log-variance. Parameter names equal the authors' keys under <c>encoder.</c>.
/// </summary>
public sealed class Encoder : EncoderBackbone
{
    [ComponentName(Name = "conv_in")]
    private readonly Conv2d inputConv;
    [ComponentName(Name = "down")]
    private readonly ModuleList<ResolutionLevel> levels;
    [ComponentName(Name = "mid")]
    private readonly MidBlock mid;
    [ComponentName(Name = "norm_out")]
    private readonly GroupNorm outputNorm;
    [ComponentName(Name = "conv_out")]
    private readonly Conv2d outputConv;

    /// <exception cref="ArgumentException">when the options cannot build a network (see <see cref="UNetOptions.Validate"/>).</exception>
    public Encoder(UNetOptions options, Device? device = null) : base(nameof(Encoder))
    {
        options.Validate();
        Options = options;
        inputConv = nn.Conv2d(options.InChannels, options.Channels, kernel_size: 3, padding: 1, device: device);
        levels = nn.ModuleList<ResolutionLevel>();
        long channels = options.Channels;
        int nominalResolution = options.Resolution;
        int lastLevel = options.ChannelMultipliers.Count - 1;
        for (int level = 0; level <= lastLevel; level++)
        {
            long levelChannels = (long)options.Channels * options.ChannelMultipliers[level];
            levels.Add(new ResolutionLevel(channels, levelChannels, options.ResBlocksPerLevel,
                options.HasAttentionAt(nominalResolution), options.Dropout,
                level == lastLevel ? Resampling.None : Resampling.Down, device));
            channels = levelChannels;
            nominalResolution /= 2;
        }
        mid = new MidBlock(channels, options.Dropout, device);
        outputNorm = Normalize.Create(channels, device);
        long outputChannels = options.DoubleLatent ? 2L * options.LatentChannels : options.LatentChannels;
        outputConv = nn.Conv2d(channels, outputChannels, kernel_size: 3, padding: 1, device: device);
        RegisterComponents();
    }

    public override UNetOptions Options { get; }

    /// <summary>The last convolution's weight (<c>encoder.conv_out.weight</c>), where the reference balances the VF-alignment gradient.</summary>
    public override Parameter LastLayerWeight => outputConv.weight!;

    /// <exception cref="ArgumentException">when the image is not (B, in, H, W) with H, W ≥ the downsampling factor.</exception>
    public override Tensor forward(Tensor input)
    {
        FeatureMaps.Require(input, Options.InChannels, Options.DownsamplingFactor, nameof(Encoder));
        // Inference only: a training batch is the user's choice, and autograd keeps several times the estimate anyway.
        if (!is_grad_enabled()) ActivationMemory.Require(Options, input.shape[0], input.shape[2], input.shape[3], nameof(Encoder));
        using var scope = NewDisposeScope();
        var hidden = inputConv.call(input);
        foreach (var level in levels) hidden = FeatureMapChain.Advance(hidden, level.call(hidden), input);
        hidden = FeatureMapChain.Advance(hidden, mid.call(hidden), input);
        hidden = FeatureMapChain.Advance(hidden, FeatureMapChain.Activate(outputNorm.call(hidden), input), input);
        return scope.MoveToOuter(outputConv.call(hidden));
    }
}
