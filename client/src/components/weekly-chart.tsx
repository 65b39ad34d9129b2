import type { Stats } from '../lib/types';

/** Created and completed tasks per week as grouped bars: plain SVG, with a table for screen readers. */
export function WeeklyChart({ weekly }: { weekly: Stats['weekly'] }) {
  const width = 640;
  const height = 220;
  const padding = { top: 12, right: 8, bottom: 28, left: 28 };
  const max = Math.max(1, ...weekly.flatMap((w) => [w.created, w.completed]));
  const slot = (width - padding.left - padding.right) / Math.max(1, weekly.length);
  const bar = Math.max(2, slot / 2 - 3);
  const y = (value: number) =>
    padding.top + (height - padding.top - padding.bottom) * (1 - value / max);
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  return (
    <figure className="flush">
      <svg
        className="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="weekly-title"
      >
        <title id="weekly-title">Tasks created and completed per week</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={padding.left}
              x2={width - padding.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke="var(--border)"
            />
            <text x={padding.left - 6} y={y(tick) + 3} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {weekly.map((week, i) => {
          const x = padding.left + i * slot + 2;
          return (
            <g key={week.week}>
              <rect
                className="created"
                x={x}
                y={y(week.created)}
                width={bar}
                height={y(0) - y(week.created)}
                rx={2}
              />
              <rect
                className="completed"
                x={x + bar + 2}
                y={y(week.completed)}
                width={bar}
                height={y(0) - y(week.completed)}
                rx={2}
              />
              {(i % 2 === weekly.length % 2 || weekly.length <= 6) && (
                <text x={x + bar} y={height - 10} textAnchor="middle">
                  {week.week.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span className="created">Created</span>
        <span className="completed">Completed</span>
      </figcaption>
      <table className="visually-hidden">
        <caption>Tasks per week (week starting)</caption>
        <thead>
          <tr>
            <th scope="col">Week</th>
            <th scope="col">Created</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {weekly.map((week) => (
            <tr key={week.week}>
              <td>{week.week}</td>
              <td>{week.created}</td>
              <td>{week.completed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
