using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// A pre-LayerNorm transformer block (the authors' ViT, spec §1.7): x + attn(ln_1(x)), then x + mlp(ln_2(x)) with
/// mlp = c_fc → exact GELU → c_proj. No LayerScale, dropout or drop path (the bsqvit configs' defaults).
/// </summary>
public sealed class ResidualAttentionBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>nn.LayerNorm's default.</summary>
    public const double LayerNormEpsilon = 1e-5;

    [ComponentName(Name = "ln_1")]
    private readonly LayerNorm attentionNorm;
    [ComponentName(Name = "attn")]
    private readonly MultiheadSelfAttention attention;
    [ComponentName(Name = "ln_2")]
    private readonly LayerNorm mlpNorm;
    [ComponentName(Name = "mlp")]
    private readonly Sequential mlp;

    public ResidualAttentionBlock(int width, int heads, int mlpRatio, Device? device = null) : base(nameof(ResidualAttentionBlock))
    {
        attentionNorm = nn.LayerNorm(width, LayerNormEpsilon, device: device);
        attention = new MultiheadSelfAttention(width, heads, device);
        mlpNorm = nn.LayerNorm(width, LayerNormEpsilon, device: device);
        mlp = nn.Sequential(
            ("c_fc", nn.Linear(width, (long)width * mlpRatio, device: device)),
            ("gelu", nn.GELU()),
            ("c_proj", nn.Linear((long)width * mlpRatio, width, device: device)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var attended = tokens.add(attention.call(attentionNorm.call(tokens)));
        return attended.add(mlp.call(mlpNorm.call(attended))).MoveToOuterDisposeScope();
    }
}
