using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>A stack of <see cref="ResidualAttentionBlock"/>s under the authors' key <c>resblocks.{i}</c>; tokens [B, L, E].</summary>
public sealed class TransformerStack : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "resblocks")]
    private readonly ModuleList<ResidualAttentionBlock> blocks;

    public TransformerStack(int width, int layers, int heads, int mlpRatio, Device? device = null) : base(nameof(TransformerStack))
    {
        blocks = nn.ModuleList<ResidualAttentionBlock>();
        for (int layer = 0; layer < layers; layer++)
            blocks.Add(new ResidualAttentionBlock(width, heads, mlpRatio, device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        var current = tokens;
        foreach (var block in blocks)
        {
            var next = block.call(current);
            if (!ReferenceEquals(current, tokens)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, tokens) ? tokens.alias() : current;
    }
}
