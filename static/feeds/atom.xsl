<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of the ICJ case tracker as a page in a browser; feed readers ignore this file. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> · Atom feed · ICJ case tracker</title>
        <link rel="stylesheet" href="/static/css/tracker.css"/>
      </head>
      <body>
        <header class="site-header">
          <a class="site-name" href="/">ICJ case tracker</a>
        </header>
        <main id="main">
          <p class="kicker">Atom feed</p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="lede">This is a feed: copy its address into a feed reader to be told of each new item the tracker records, newest first.</p>
          <p>Address to subscribe: <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
          <p><a href="{atom:link[@rel='alternate']/@href}">Back to the site</a></p>
          <h2>Latest entries</h2>
          <ol class="timeline-list">
            <xsl:for-each select="atom:entry">
              <li>
                <a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a>
                <p class="muted"><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
