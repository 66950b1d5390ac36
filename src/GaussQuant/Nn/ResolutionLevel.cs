using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// One level of the UNet (<c>down.i</c> / <c>up.i</c>): ResnetBlocks <c>block.j</c>, each followed by <c>attn.j</c> when
/// the level has attention, then the optional resampler. The first block maps in → out channels.
/// </summary>
public sealed class ResolutionLevel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "block")]
    private readonly ModuleList<ResnetBlock> blocks;
    [ComponentName(Name = "attn")]
    private readonly ModuleList<AttnBlock> attentions;
    [ComponentName(Name = "downsample")]
    private readonly Downsample? downsample;
    [ComponentName(Name = "upsample")]
    private readonly Upsample? upsample;

    public ResolutionLevel(long inChannels, long outChannels, int blockCount, bool withAttention, double dropout,
        Resampling resampling, Device? device = null) : base(nameof(ResolutionLevel))
    {
        blocks = nn.ModuleList<ResnetBlock>();
        attentions = nn.ModuleList<AttnBlock>();
        for (int index = 0; index < blockCount; index++)
        {
            blocks.Add(new ResnetBlock(index == 0 ? inChannels : outChannels, outChannels, dropout, device));
            if (withAttention) attentions.Add(new AttnBlock(outChannels, device));
        }
        if (resampling == Resampling.Down) downsample = new Downsample(outChannels, device);
        if (resampling == Resampling.Up) upsample = new Upsample(outChannels, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = input;
        for (int index = 0; index < blocks.Count; index++)
        {
            hidden = FeatureMapChain.Advance(hidden, blocks[index].call(hidden), input);
            if (attentions.Count > 0) hidden = FeatureMapChain.Advance(hidden, attentions[index].call(hidden), input);
        }
        if (downsample is not null) hidden = FeatureMapChain.Advance(hidden, downsample.call(hidden), input);
        if (upsample is not null) hidden = FeatureMapChain.Advance(hidden, upsample.call(hidden), input);
        return scope.MoveToOuter(hidden);
    }
}
